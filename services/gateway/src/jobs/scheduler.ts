import { randomUUID } from 'node:crypto';
import { and, asc, count, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { jobDispatchSubject, type JobDispatchEvent } from '@ffgate/contracts';
import { evaluate } from '@ffgate/policy';
import { enqueue } from '@ffgate/outbox';
import type { Tx } from '../store/executor.ts';
import { notifyJobChanged } from '../store/locks.ts';
import { jobs, outbox, users } from '../store/schema.ts';
import type { JobsContext } from './context.ts';

/**
 * The scheduler: hand an owner's waiting jobs to the transcoders (a `job.dispatch` on
 * `jobs.<queue>` through the outbox) while their dispatched-but-unfinished count is below the
 * policy's `maxRunning`. The caller holds the owner's lock (lockOwner), so the count and the
 * dispatch are atomic across replicas. An owner unknown to the projection, or inactive, gets
 * nothing dispatched (the identity event that introduces them triggers the dispatch).
 * Returns the ids of the jobs dispatched.
 */
export async function dispatchWaiting(ctx: JobsContext, tx: Tx, ownerId: string): Promise<string[]> {
  const [user] = await tx.select().from(users).where(eq(users.id, ownerId));
  if (!user || !user.active || user.deleted) return [];
  const roles = evaluate(ctx.policy(), user.state);
  const [{ value: inFlight }] = await tx
    .select({ value: count() })
    .from(jobs)
    .where(and(eq(jobs.ownerId, ownerId), isNotNull(jobs.dispatchedAt), inArray(jobs.status, ['queued', 'running'])));
  const free = roles.maxRunning - inFlight;
  if (free <= 0) return [];
  const waiting = await tx
    .select()
    .from(jobs)
    .where(and(eq(jobs.ownerId, ownerId), eq(jobs.status, 'queued'), isNull(jobs.dispatchedAt)))
    .orderBy(asc(jobs.createdAt), asc(jobs.id))
    .limit(free)
    .for('update');
  if (waiting.length === 0) return [];
  const now = new Date(ctx.now());
  const messages = waiting.map((job) => {
    const event: JobDispatchEvent = {
      id: randomUUID(),
      type: 'job.dispatch',
      time: now.toISOString(),
      jobId: job.id,
      owner: { userId: job.ownerId, userName: job.ownerUserName, clientId: job.clientId, jti: job.jti, iat: Math.floor(job.credentialIssuedAt.getTime() / 1000) },
      profile: job.profile,
      queue: job.queue,
      input: job.input,
      output: job.output,
      limits: ctx.limits,
    };
    return { subject: jobDispatchSubject(job.queue), event: event as JobDispatchEvent & Record<string, unknown> };
  });
  const ids = waiting.map((j) => j.id);
  await tx.update(jobs).set({ dispatchedAt: now, updatedAt: now }).where(inArray(jobs.id, ids));
  await enqueue(tx, outbox, messages);
  for (const id of ids) await notifyJobChanged(tx, id);
  return ids;
}

/** Owners that have jobs waiting to be dispatched (for the periodic sweep and policy reloads). */
export async function ownersWithWaitingJobs(ctx: JobsContext): Promise<string[]> {
  const rows = await ctx.db
    .selectDistinct({ ownerId: jobs.ownerId })
    .from(jobs)
    .where(and(eq(jobs.status, 'queued'), isNull(jobs.dispatchedAt)));
  return rows.map((r) => r.ownerId);
}
