import { eq } from 'drizzle-orm';
import type { CancelReason } from '@ffgate/contracts';
import { GatewayError } from '../errors.ts';
import { lockOwner } from '../store/locks.ts';
import { jobs } from '../store/schema.ts';
import { cancelJobInTx } from './cancel.ts';
import type { JobsContext } from './context.ts';
import type { JobRow } from './view.ts';

/** `POST /v1/jobs/:id/cancel`: the owner (or the admin, `ownerId` undefined) cancels one job. */
export async function cancelJob(ctx: JobsContext, jobId: string, requester: { ownerId?: string; actor: string }, reason: CancelReason = 'user_request'): Promise<JobRow> {
  const [found] = await ctx.db.select({ ownerId: jobs.ownerId }).from(jobs).where(eq(jobs.id, jobId));
  if (!found || (requester.ownerId !== undefined && found.ownerId !== requester.ownerId)) {
    throw new GatewayError('FFGATE_GW_NOT_FOUND', 404, 'no such job');
  }
  return ctx.db.transaction(async (tx) => {
    await lockOwner(tx, found.ownerId);
    const [job] = await tx.select().from(jobs).where(eq(jobs.id, jobId)).for('update');
    await cancelJobInTx(ctx, tx, job, reason, requester.actor);
    const [after] = await tx.select().from(jobs).where(eq(jobs.id, jobId));
    return after;
  });
}
