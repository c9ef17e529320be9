import { and, eq, lt, notInArray } from 'drizzle-orm';
import { TERMINAL_JOB_STATUSES, type CancelReason, type JobProgressEvent, type JobStatusEvent } from '@ffgate/contracts';
import { enqueue } from '@ffgate/outbox';
import { lockOwner, notifyJobChanged } from '../store/locks.ts';
import { jobs, outbox } from '../store/schema.ts';
import { cancelMessage } from './cancel.ts';
import type { JobsContext } from './context.ts';
import { isTerminal, strongerReason } from './reasons.ts';
import { dispatchWaiting } from './scheduler.ts';

export type StatusResult = 'applied' | 'stale' | 'final' | 'unknown_job';

/**
 * Apply a transcoder's `job.status` idempotently and in order: only a `seq` above the stored one
 * counts, and a terminal status is final (a late `running` never overwrites `canceled`). A job
 * that ends frees a running slot: the owner's next waiting job is dispatched in the same
 * transaction. A `running` for a job with a pending cancel re-sends the cancel (the transcoder
 * may have picked the job after the first one went by).
 */
export async function applyStatus(ctx: JobsContext, event: JobStatusEvent): Promise<StatusResult> {
  const [owner] = await ctx.db.select({ ownerId: jobs.ownerId }).from(jobs).where(eq(jobs.id, event.jobId));
  if (!owner) return 'unknown_job';
  return ctx.db.transaction(async (tx) => {
    await lockOwner(tx, owner.ownerId);
    const [job] = await tx.select().from(jobs).where(eq(jobs.id, event.jobId)).for('update');
    if (isTerminal(job.status)) return 'final';
    if (event.seq <= job.statusSeq) return 'stale';
    const now = new Date(ctx.now());
    const at = new Date(event.time);
    const terminal = isTerminal(event.status);
    const cancelReason: CancelReason | null =
      event.status === 'canceled' ? strongerReason(event.cancelReason ?? null, job.cancelRequested) ?? 'worker_lost' : null;
    await tx
      .update(jobs)
      .set({
        status: event.status,
        statusSeq: event.seq,
        attempt: event.attempt,
        worker: event.worker,
        startedAt: event.status === 'running' ? (job.startedAt ?? at) : job.startedAt,
        finishedAt: terminal ? at : null,
        error: event.error ?? (terminal ? job.error : null),
        cancelReason,
        // a job handed back to the queue by its worker (redelivery) still counts as dispatched
        dispatchedAt: job.dispatchedAt ?? now,
        updatedAt: now,
      })
      .where(eq(jobs.id, job.id));
    if (event.status === 'running' && job.cancelRequested) {
      await enqueue(tx, outbox, [cancelMessage(job.id, job.cancelRequested as CancelReason, now)]);
    }
    await notifyJobChanged(tx, job.id);
    if (terminal) await dispatchWaiting(ctx, tx, job.ownerId);
    return 'applied';
  });
}

/** Apply a `job.progress` when newer than the stored one and the job is not finished. */
export async function applyProgress(ctx: JobsContext, event: JobProgressEvent): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    const progress = { percent: event.percent, fps: event.fps, speed: event.speed, outTimeMs: event.outTimeMs };
    const updated = await tx
      .update(jobs)
      .set({ progress, progressSeq: event.seq, updatedAt: new Date(ctx.now()) })
      .where(and(eq(jobs.id, event.jobId), lt(jobs.progressSeq, event.seq), notInArray(jobs.status, [...TERMINAL_JOB_STATUSES])))
      .returning({ id: jobs.id });
    if (updated.length === 0) return false;
    await notifyJobChanged(tx, event.jobId);
    return true;
  });
}
