import { sql } from 'drizzle-orm';
import type { Drizzle } from '@ffgate/db';

/**
 * Credentials are looked up until they expire; after that only the audit trail needs them. Rows
 * expired longer than `graceMs` are deleted in batches (every replica may run this: deletes are
 * idempotent). Returns how many rows went.
 */
export async function purgeExpiredCredentials(db: Drizzle, now: number, graceMs = 3600_000, batch = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    const r = await db.execute(sql`
      delete from "token"."credentials" where jti in (
        select jti from "token"."credentials" where expires_at < ${new Date(now - graceMs).toISOString()}::timestamptz limit ${batch}
      )`);
    const n = (r as unknown as { rowCount?: number; affectedRows?: number }).rowCount ?? (r as unknown as { affectedRows?: number }).affectedRows ?? 0;
    total += n;
    if (n < batch) return total;
  }
}
