/**
 * Transactional outbox.
 *
 * A service's write and its events commit in one transaction: `enqueue(tx, ...)` inserts rows in
 * the service's own `outbox` table (created by `outboxTable(pgSchema)` inside the service's
 * drizzle schema so its migrations carry it) and NOTIFYs the relay, which wakes at once.
 *
 * The relay publishes unsent rows in `seq` order with `msgId` = event id, marks them sent, and
 * retries with capped backoff while the bus is down. It never blocks writers. Only one relay per
 * outbox table leads at a time (session advisory lock); the others wait and take over when the
 * leader's session dies.
 */
export interface OutboxMessage {
  subject: string;
  /** the event; must carry a unique `id` (used as Nats-Msg-Id) */
  event: { id: string } & Record<string, unknown>;
  headers?: Record<string, string>;
}
