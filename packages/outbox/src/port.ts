/**
 * Transactional outbox.
 *
 * A service's write and its events commit in one transaction: `enqueue(tx, table, messages)`
 * validates each event against its contract (an invalid event fails the writer's transaction
 * rather than blocking the relay later), inserts rows in the service's own `outbox` table (created
 * by `outboxTable(pgSchema)` inside the service's drizzle schema so its migrations carry it) with
 * the active W3C trace context in `headers`, and NOTIFYs `outboxChannel(schema)`; PostgreSQL
 * delivers that NOTIFY when the transaction commits and drops it on rollback.
 *
 * `OutboxRelay` publishes unsent rows in `seq` order with `msgId` = event id and the stored
 * headers, marks them sent, and retries with capped backoff while the bus is down. It never
 * blocks writers. Only one relay per outbox table leads at a time (session advisory lock
 * `ffgate:outbox:<schema>`); the others retry and take over when the leader's session dies.
 *
 * Guarantees and their limits:
 * - At least once: a row is marked sent only after its ack; a crash between ack and mark means
 *   the next leader publishes it again, and JetStream drops the copy by msgId as long as it comes
 *   within the stream's duplicate window (2 min by default). Consumers still apply events
 *   idempotently by (resourceId, version), which also covers a retry after a longer outage.
 * - Order per resource: rows with the same `event.resourceId` (else the same subject) are
 *   published one after another, each only after the previous one was acked, and a retry starts
 *   at the first unacked row; different resources are pipelined. Writes to one resource must be
 *   serialized by the writer (its row lock) so their seq order is their commit order.
 * - Rows are marked by their seq list, never `seq <= n`: a row with a lower seq can commit later.
 */
export interface OutboxMessage {
  subject: string;
  /** the event; must carry a unique `id` (used as Nats-Msg-Id) */
  event: { id: string } & Record<string, unknown>;
  headers?: Record<string, string>;
}
