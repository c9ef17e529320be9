import { createHash } from 'node:crypto';
import type { AuditRecordEvent } from '@ffgate/contracts';
import { canonicalJson } from './canonical.ts';

/**
 * Per-writer hash chains. Each stored record carries `writerSeq` (1, 2, 3 … per writer), the hash
 * of the writer's previous record (`prevHash`, null for the first) and its own `hash` =
 * sha256(prevHash + "\n" + canonical JSON of the record's content and writerSeq). Editing a
 * record's content breaks its own hash; deleting or reordering records breaks the sequence or the
 * link of the next record.
 */
export type AuditContent = Omit<AuditRecordEvent, 'type'> & { type?: 'audit.record' };

export interface ChainedAuditRecord extends AuditContent {
  writerSeq: number;
  prevHash: string | null;
  hash: string;
}

/** The fields a hash covers: the record as published (minus the constant type) plus its place in the chain. */
function hashedContent(record: AuditContent & { writerSeq: number }): Record<string, unknown> {
  return {
    id: record.id,
    time: normalizeTime(record.time),
    writer: record.writer,
    action: record.action,
    userId: record.userId,
    userName: record.userName,
    clientId: record.clientId,
    jti: record.jti,
    jobId: record.jobId,
    details: record.details,
    writerSeq: record.writerSeq,
  };
}

/** sha256 hex over the previous hash of the same writer and the record's canonical content. */
function chainHash(prevHash: string | null, record: AuditContent & { writerSeq: number }): string {
  return createHash('sha256')
    .update(prevHash ?? '')
    .update('\n')
    .update(canonicalJson(hashedContent(record)))
    .digest('hex');
}

/** Append `record` after `head` (the writer's last stored record, or null for a new writer). */
export function chainRecord(head: { writerSeq: number; hash: string } | null, record: AuditContent): ChainedAuditRecord {
  const writerSeq = (head?.writerSeq ?? 0) + 1;
  const prevHash = head?.hash ?? null;
  return { ...record, writerSeq, prevHash, hash: chainHash(prevHash, { ...record, writerSeq }) };
}

export interface BrokenLink {
  writer: string;
  /** the record id where the chain first fails */
  id: string;
  writerSeq: number;
  reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap' | 'duplicate_sequence';
}

export interface ChainVerification {
  ok: boolean;
  /** per writer: records checked and the hash of the last one */
  writers: { writer: string; records: number; lastHash: string | null; ok: boolean }[];
  /** the first broken record (writers in name order), when any */
  firstBroken?: BrokenLink;
  /** the first broken record of every broken writer */
  broken: BrokenLink[];
}

/** Check every writer's chain; records may come in any order. */
export function verifyChains(records: Iterable<ChainedAuditRecord>): ChainVerification {
  const byWriter = new Map<string, ChainedAuditRecord[]>();
  for (const r of records) {
    const list = byWriter.get(r.writer) ?? [];
    list.push(r);
    byWriter.set(r.writer, list);
  }
  const writers: ChainVerification['writers'] = [];
  const broken: BrokenLink[] = [];
  for (const writer of [...byWriter.keys()].sort()) {
    const list = byWriter.get(writer)!.sort((a, b) => a.writerSeq - b.writerSeq);
    const failure = firstFailure(list);
    if (failure) broken.push({ writer, ...failure });
    writers.push({ writer, records: list.length, lastHash: list.at(-1)?.hash ?? null, ok: !failure });
  }
  return { ok: broken.length === 0, writers, broken, ...(broken[0] ? { firstBroken: broken[0] } : {}) };
}

function firstFailure(list: ChainedAuditRecord[]): Omit<BrokenLink, 'writer'> | undefined {
  let prev: ChainedAuditRecord | undefined;
  for (const r of list) {
    const at = { id: r.id, writerSeq: r.writerSeq };
    const expectedSeq = (prev?.writerSeq ?? 0) + 1;
    if (prev && r.writerSeq === prev.writerSeq) return { ...at, reason: 'duplicate_sequence' };
    if (r.writerSeq !== expectedSeq) return { ...at, reason: 'sequence_gap' };
    if (r.prevHash !== (prev?.hash ?? null)) return { ...at, reason: 'prev_hash_mismatch' };
    if (chainHash(r.prevHash, r) !== r.hash) return { ...at, reason: 'hash_mismatch' };
    prev = r;
  }
  return undefined;
}

/** ISO time in one form (`…Z`, milliseconds) so a database round trip does not change the hash. */
export function normalizeTime(time: string | Date): string {
  const d = typeof time === 'string' ? new Date(time) : time;
  return Number.isNaN(d.getTime()) ? String(time) : d.toISOString();
}
