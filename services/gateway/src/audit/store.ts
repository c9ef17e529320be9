import { asc, eq, sql } from 'drizzle-orm';
import { chainRecord, normalizeTime, verifyChains, type ChainedAuditRecord, type ChainVerification } from '@ffgate/audit';
import type { AuditRecordEvent } from '@ffgate/contracts';
import type { Drizzle } from '@ffgate/db';
import { auditHeads, auditRecords } from '../store/schema.ts';

export type IngestResult = 'stored' | 'duplicate';

/**
 * Append one record to the audit store, chained to its writer's previous record. The writer's head
 * row is locked for the append, so records of one writer ingested by several replicas at once
 * still form one unbroken chain. Idempotent by record id (a redelivered message is stored once).
 */
export async function ingestAuditRecord(db: Drizzle, event: AuditRecordEvent): Promise<IngestResult> {
  return db.transaction(async (tx) => {
    await tx.insert(auditHeads).values({ writer: event.writer, writerSeq: 0, hash: '' }).onConflictDoNothing();
    const [head] = await tx.select().from(auditHeads).where(eq(auditHeads.writer, event.writer)).for('update');
    const [seen] = await tx.select({ id: auditRecords.id }).from(auditRecords).where(eq(auditRecords.id, event.id));
    if (seen) return 'duplicate';
    const { type: _type, ...content } = event;
    const chained = chainRecord(head.writerSeq === 0 ? null : head, { ...content, time: normalizeTime(content.time) });
    await tx.insert(auditRecords).values({
      id: chained.id,
      writer: chained.writer,
      writerSeq: chained.writerSeq,
      prevHash: chained.prevHash,
      hash: chained.hash,
      time: chained.time,
      action: chained.action,
      userId: chained.userId,
      userName: chained.userName,
      clientId: chained.clientId,
      jti: chained.jti,
      jobId: chained.jobId,
      details: chained.details,
    });
    await tx.update(auditHeads).set({ writerSeq: chained.writerSeq, hash: chained.hash }).where(eq(auditHeads.writer, event.writer));
    return 'stored';
  });
}

type AuditRow = typeof auditRecords.$inferSelect;

export function toChained(row: AuditRow): ChainedAuditRecord {
  return {
    id: row.id,
    time: row.time,
    writer: row.writer,
    action: row.action as ChainedAuditRecord['action'],
    userId: row.userId,
    userName: row.userName,
    clientId: row.clientId,
    jti: row.jti,
    jobId: row.jobId,
    details: row.details,
    writerSeq: row.writerSeq,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/** A user's trail in time order (ties: ingest order). */
export async function userTrail(db: Drizzle, userId: string, limit = 1000): Promise<ChainedAuditRecord[]> {
  const rows = await db.select().from(auditRecords).where(eq(auditRecords.userId, userId)).orderBy(asc(auditRecords.time), asc(auditRecords.seq)).limit(limit);
  return rows.map(toChained);
}

/** Verify every writer's chain (reads the store in pages of 5,000 records). */
export async function verifyStore(db: Drizzle): Promise<ChainVerification> {
  const all: ChainedAuditRecord[] = [];
  let after = 0;
  for (;;) {
    const page = await db.select().from(auditRecords).where(sql`${auditRecords.seq} > ${after}`).orderBy(asc(auditRecords.seq)).limit(5000);
    all.push(...page.map(toChained));
    if (page.length < 5000) break;
    after = page[page.length - 1].seq;
  }
  return verifyChains(all);
}
