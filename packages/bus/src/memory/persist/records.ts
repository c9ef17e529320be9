import type { Headers } from '../../port.ts';

/**
 * Record shapes of the on-disk logs (one JSON object per line).
 *
 * `<STREAM>.log`:
 * - message: `{seq, subject, headers, payload, msgId?, time}` — payload is the wire text
 * - removal: `{del: seq}` — a work-queue message was settled
 * - meta: `{meta: {lastSeq, dedup: [[msgId, seq, at]]}}` — first line after a compaction, so the
 *   sequence never restarts and de-duplication outlives removed messages
 *
 * `<STREAM>.consumers.log` (durable consumers only):
 * - state: `{c, filter, cursor, pending: [[seq, deliveries]]}` — creation or compacted snapshot
 * - delivery: `{c, d: seq, n: deliveries}` — attempt n of seq started (the cursor reaches seq)
 * - settled: `{c, s: seq}` — acked, terminated or given up (maxDeliver)
 */
export interface MessageRecord {
  seq: number;
  subject: string;
  headers: Headers;
  payload: string;
  msgId?: string;
  time: number;
}
export interface RemovalRecord {
  del: number;
}
export interface MetaRecord {
  meta: { lastSeq: number; dedup: [string, number, number][] };
}
export type StreamRecord = MessageRecord | RemovalRecord | MetaRecord;

export interface ConsumerStateRecord {
  c: string;
  filter: string | null;
  cursor: number;
  pending: [number, number][];
}
export interface DeliveryRecord {
  c: string;
  d: number;
  n: number;
}
export interface SettledRecord {
  c: string;
  s: number;
}
export type ConsumerRecord = ConsumerStateRecord | DeliveryRecord | SettledRecord;

const isObject = (r: unknown): r is Record<string, unknown> => typeof r === 'object' && r !== null && !Array.isArray(r);
const isSeq = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

export function isMessageRecord(r: unknown): r is MessageRecord {
  return (
    isObject(r) &&
    isSeq(r.seq) &&
    typeof r.subject === 'string' &&
    typeof r.payload === 'string' &&
    typeof r.time === 'number' &&
    isObject(r.headers) &&
    (r.msgId === undefined || typeof r.msgId === 'string')
  );
}
export const isRemovalRecord = (r: unknown): r is RemovalRecord => isObject(r) && isSeq(r.del);
export const isMetaRecord = (r: unknown): r is MetaRecord =>
  isObject(r) && isObject(r.meta) && Number.isSafeInteger(r.meta.lastSeq) && Array.isArray(r.meta.dedup);

export function isConsumerStateRecord(r: unknown): r is ConsumerStateRecord {
  return (
    isObject(r) &&
    typeof r.c === 'string' &&
    (r.filter === null || typeof r.filter === 'string') &&
    Number.isSafeInteger(r.cursor) &&
    Array.isArray(r.pending)
  );
}
export const isDeliveryRecord = (r: unknown): r is DeliveryRecord => isObject(r) && typeof r.c === 'string' && isSeq(r.d) && isSeq(r.n);
export const isSettledRecord = (r: unknown): r is SettledRecord => isObject(r) && typeof r.c === 'string' && isSeq(r.s);
