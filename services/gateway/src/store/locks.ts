import { sql } from 'drizzle-orm';
import type { Tx } from './executor.ts';

/**
 * Serialize everything that touches one owner's jobs (submit count, dispatch, cancel, status that
 * frees a slot) across every gateway replica: a transaction-level advisory lock keyed by the owner,
 * released at commit. Always taken first in a transaction, so lock order is the same everywhere.
 */
export async function lockOwner(tx: Tx, ownerId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`ffgate:gateway:owner:${ownerId}`}, 0))`);
}

/** Channel the gateway NOTIFYs (payload: job id) when a job changes; SSE streams listen on it. */
export const JOB_CHANGES_CHANNEL = 'ffgate_gateway_jobs';

export async function notifyJobChanged(tx: Tx, jobId: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${JOB_CHANGES_CHANNEL}, ${jobId})`);
}
