import { and, asc, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { Bus, PublishAck } from '@ffgate/bus';
import type { Drizzle } from '@ffgate/db';
import type { OutboxTable } from './table.ts';

export interface OutboxRow {
  seq: number;
  id: string;
  subject: string;
  payload: unknown;
  headers: Record<string, string>;
  createdAt: Date;
}

export interface BatchResult {
  /** rows read (unsent, in seq order) */
  read: number;
  /** the acked prefix, now marked sent */
  published: OutboxRow[];
  /** acks that said the stream already had the msgId (a retry after an earlier partial success) */
  duplicates: number;
  /** the first publish failure; rows from it on stay unsent and are retried from there */
  failure?: unknown;
}

export interface BatchHooks {
  /** test seam: runs after the acks and before rows are marked sent (a crash here must lose nothing) */
  afterPublish?: (rows: OutboxRow[]) => void | Promise<void>;
}

/**
 * One relay pass: read up to `batchSize` unsent rows in seq order and publish them pipelined —
 * publishes are started in seq order without awaiting each (one connection keeps the order), then
 * the acks are awaited together. Per resource (see `orderingKey`) a publish starts only after the
 * previous one of that resource was acked: a failed publish followed by a successful one (a
 * reconnect in between, a stream leader election, a contract error) could otherwise store a later
 * version before an earlier one.
 *
 * Only the prefix before the first failure is marked sent, so the retry starts at the first
 * unacked row; rows after it that did reach the stream come back as msgId duplicates.
 */
export async function publishBatch(db: Drizzle, table: OutboxTable, bus: Bus, batchSize: number, hooks: BatchHooks = {}): Promise<BatchResult> {
  const rows: OutboxRow[] = await db
    .select({ seq: table.seq, id: table.id, subject: table.subject, payload: table.payload, headers: table.headers, createdAt: table.createdAt })
    .from(table)
    .where(isNull(table.sentAt))
    .orderBy(asc(table.seq))
    .limit(batchSize);
  if (rows.length === 0) return { read: 0, published: [], duplicates: 0 };

  // rows of one resource go one after another (a later one only once the earlier one is acked),
  // so a failure can never let a later version overtake an earlier one; other resources pipeline
  const lastOfResource = new Map<string, Promise<PublishAck>>();
  const inFlight = rows.map((row) => {
    const key = orderingKey(row);
    const previous = lastOfResource.get(key);
    const publish = previous ? previous.then(() => publishRow(bus, row)) : publishRow(bus, row);
    lastOfResource.set(key, publish);
    return publish;
  });
  const settled = await Promise.allSettled(inFlight);
  const firstFailure = settled.findIndex((s) => s.status === 'rejected');
  const ackedCount = firstFailure === -1 ? rows.length : firstFailure;
  const acked = rows.slice(0, ackedCount);
  let duplicates = 0;
  for (const s of settled.slice(0, ackedCount)) if (s.status === 'fulfilled' && s.value.duplicate) duplicates++;

  if (acked.length > 0) {
    await hooks.afterPublish?.(acked);
    // by seq list, not `seq <= last`: a row with a lower seq may commit later and must not be skipped
    await db.update(table).set({ sentAt: sql`now()` }).where(inArray(table.seq, acked.map((r) => r.seq)));
  }
  const failed = settled[firstFailure];
  return {
    read: rows.length,
    published: acked,
    duplicates,
    failure: failed && failed.status === 'rejected' ? failed.reason : undefined,
  };
}

/** Rows with the same key keep their relative order: the event's `resourceId`, else the subject. */
export function orderingKey(row: Pick<OutboxRow, 'payload' | 'subject'>): string {
  const resourceId = (row.payload as { resourceId?: unknown } | null)?.resourceId;
  return typeof resourceId === 'string' ? `r:${resourceId}` : `s:${row.subject}`;
}

function publishRow(bus: Bus, row: OutboxRow): Promise<PublishAck> {
  try {
    return bus.publish(row.subject, row.payload, { msgId: row.id, headers: row.headers });
  } catch (err) {
    return Promise.reject(err);
  }
}

/** Delete up to `limit` rows sent before `before`; returns how many were deleted. */
export async function purgeSent(db: Drizzle, table: OutboxTable, before: Date, limit: number): Promise<number> {
  const oldest = db
    .select({ seq: table.seq })
    .from(table)
    .where(and(isNotNull(table.sentAt), lt(table.sentAt, before)))
    .orderBy(asc(table.seq))
    .limit(limit);
  const deleted = await db.delete(table).where(inArray(table.seq, oldest)).returning({ seq: table.seq });
  return deleted.length;
}
