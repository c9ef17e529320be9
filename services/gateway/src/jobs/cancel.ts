import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { jobCancelSubject, type CancelReason, type JobCancelEvent } from '@ffgate/contracts';
import { auditMessage, auditRecord } from '@ffgate/audit';
import { enqueue, type OutboxMessage } from '@ffgate/outbox';
import type { Tx } from '../store/executor.ts';
import { notifyJobChanged } from '../store/locks.ts';
import { jobs, outbox } from '../store/schema.ts';
import type { JobsContext } from './context.ts';
import { DEPROVISION_REASONS, isTerminal, strongerReason } from './reasons.ts';
import type { JobRow } from './view.ts';

export type CancelOutcome = 'canceled' | 'cancel_requested' | 'already_final' | 'reason_upgraded';

export function cancelMessage(jobId: string, reason: CancelReason, now: Date): OutboxMessage {
  const event: JobCancelEvent = { id: randomUUID(), type: 'job.cancel', time: now.toISOString(), jobId, reason };
  return { subject: jobCancelSubject(jobId), event: event as JobCancelEvent & Record<string, unknown> };
}

/**
 * Cancel one job (the caller holds the owner's lock and read the row FOR UPDATE). A job not yet
 * dispatched ends `canceled` at once — it never starts. A dispatched one gets a `job.cancel`
 * broadcast for its transcoder and keeps its status until the transcoder reports; the request is
 * remembered (`cancel_requested`) so a late `running` re-sends it.
 */
export async function cancelJobInTx(ctx: JobsContext, tx: Tx, job: JobRow, reason: CancelReason, actor: string): Promise<CancelOutcome> {
  const now = new Date(ctx.now());
  if (isTerminal(job.status)) {
    // several deprovisioning signals race (identity event, token revocation): the strongest reason is kept
    const current = job.cancelReason as CancelReason | null;
    if (job.status === 'canceled' && current && DEPROVISION_REASONS.includes(current) && DEPROVISION_REASONS.includes(reason) && strongerReason(current, reason) !== current) {
      await tx.update(jobs).set({ cancelReason: reason, updatedAt: now }).where(eq(jobs.id, job.id));
      await notifyJobChanged(tx, job.id);
      return 'reason_upgraded';
    }
    return 'already_final';
  }
  if (!job.dispatchedAt) {
    await tx
      .update(jobs)
      .set({ status: 'canceled', cancelReason: reason, finishedAt: now, updatedAt: now })
      .where(eq(jobs.id, job.id));
    const record = auditRecord({
      writer: ctx.auditWriter,
      action: 'job.canceled',
      userId: job.ownerId,
      userName: job.ownerUserName,
      clientId: job.clientId,
      jti: job.jti,
      jobId: job.id,
      details: { reason, actor, profile: job.profile, queue: job.queue, started: false },
      time: now,
    });
    await enqueue(tx, outbox, [auditMessage(record)]);
    await notifyJobChanged(tx, job.id);
    return 'canceled';
  }
  const requested = strongerReason(job.cancelRequested, reason) ?? reason;
  await tx.update(jobs).set({ cancelRequested: requested, updatedAt: now }).where(eq(jobs.id, job.id));
  await enqueue(tx, outbox, [cancelMessage(job.id, requested, now)]);
  await notifyJobChanged(tx, job.id);
  return 'cancel_requested';
}

/** Cancel every unfinished job of `ownerId` that `select` picks (deprovisioning); caller holds the owner's lock. */
export async function cancelOwnerJobs(
  ctx: JobsContext,
  tx: Tx,
  ownerId: string,
  reason: CancelReason,
  actor: string,
  select: (job: JobRow) => boolean = () => true,
): Promise<Record<CancelOutcome, number>> {
  const statuses = DEPROVISION_REASONS.includes(reason) ? ['queued', 'running', 'canceled'] : ['queued', 'running'];
  const rows = await tx
    .select()
    .from(jobs)
    .where(and(eq(jobs.ownerId, ownerId), inArray(jobs.status, statuses)))
    .for('update');
  const counts: Record<CancelOutcome, number> = { canceled: 0, cancel_requested: 0, already_final: 0, reason_upgraded: 0 };
  for (const job of rows) {
    if (!select(job)) continue;
    // only recent cancellations can race with this signal; older canceled jobs keep their history
    if (job.status === 'canceled' && (!job.finishedAt || ctx.now() - job.finishedAt.getTime() > RACE_WINDOW_MS)) continue;
    counts[await cancelJobInTx(ctx, tx, job, reason, actor)]++;
  }
  return counts;
}

/** How long after a cancellation another deprovisioning signal may still replace its reason. */
const RACE_WINDOW_MS = 60_000;
