import { randomUUID } from 'node:crypto';
import { and, count, eq, isNull } from 'drizzle-orm';
import { auditMessage, auditRecord } from '@ffgate/audit';
import { evaluate } from '@ffgate/policy';
import { enqueue } from '@ffgate/outbox';
import type { ValidJobSpec } from '@ffgate/media';
import type { JobCredential } from '@ffgate/verifier';
import { GatewayError } from '../errors.ts';
import { lockOwner, notifyJobChanged } from '../store/locks.ts';
import { jobs, outbox, users } from '../store/schema.ts';
import type { JobsContext } from './context.ts';
import { dispatchWaiting } from './scheduler.ts';
import type { JobRow } from './view.ts';

export interface SubmitInput {
  credential: JobCredential;
  spec: ValidJobSpec;
  idempotencyKey?: string;
}

/** Seconds a client is told to wait when its queue is full. */
export const QUEUE_FULL_RETRY_AFTER_SEC = 30;

/**
 * Queue a job (202) and dispatch it at once if the owner has a free running slot. Checks, in
 * order: the credential allows the profile and its queue (403); the owner is not known to be
 * inactive (403); a retried Idempotency-Key returns the earlier job (409 if the spec differs); the
 * owner's waiting jobs are below maxQueued (429). All under the owner's lock, so the count holds
 * across replicas.
 */
export async function submitJob(ctx: JobsContext, input: SubmitInput): Promise<{ job: JobRow; created: boolean }> {
  const { credential, spec } = input;
  const profile = spec.profileDef;
  if (!credential.profiles.includes(profile.name)) throw new GatewayError('FFGATE_GW_FORBIDDEN', 403, `profile ${profile.name} is not allowed for this credential`);
  if (!credential.queues.includes(profile.queue)) throw new GatewayError('FFGATE_GW_FORBIDDEN', 403, `queue ${profile.queue} (of profile ${profile.name}) is not allowed for this credential`);
  const ownerId = credential.sub;

  return ctx.db.transaction(async (tx) => {
    await lockOwner(tx, ownerId);
    if (input.idempotencyKey) {
      const [earlier] = await tx.select().from(jobs).where(and(eq(jobs.ownerId, ownerId), eq(jobs.idempotencyKey, input.idempotencyKey)));
      if (earlier) {
        const same = earlier.profile === profile.name && earlier.input === spec.input && earlier.output === spec.output;
        if (!same) throw new GatewayError('FFGATE_GW_CONFLICT', 409, 'this Idempotency-Key was used for a different job spec');
        return { job: earlier, created: false };
      }
    }
    const [user] = await tx.select().from(users).where(eq(users.id, ownerId));
    if (user && (!user.active || user.deleted)) throw new GatewayError('FFGATE_GW_FORBIDDEN', 403, 'the owner of this credential is not active');
    // an owner the projection has not seen yet is held to the policy's defaults
    const policy = ctx.policy();
    const maxQueued = user ? evaluate(policy, user.state).maxQueued : policy.document.defaults.maxQueued;
    const [{ value: waiting }] = await tx
      .select({ value: count() })
      .from(jobs)
      .where(and(eq(jobs.ownerId, ownerId), eq(jobs.status, 'queued'), isNull(jobs.dispatchedAt)));
    if (waiting >= maxQueued) {
      throw new GatewayError('FFGATE_GW_QUEUE_FULL', 429, `too many waiting jobs (limit ${maxQueued}); retry after some finish`, { retryAfter: QUEUE_FULL_RETRY_AFTER_SEC });
    }

    const now = new Date(ctx.now());
    const userName = user?.userName ?? (typeof credential.username === 'string' ? credential.username : credential.sub);
    const [job] = await tx
      .insert(jobs)
      .values({
        id: randomUUID(),
        ownerId,
        ownerUserName: userName,
        clientId: credential.client_id,
        jti: credential.jti,
        credentialIssuedAt: new Date(credential.iat * 1000),
        profile: profile.name,
        queue: profile.queue,
        input: spec.input,
        output: spec.output,
        metadata: (spec.metadata ?? {}) as Record<string, unknown>,
        idempotencyKey: input.idempotencyKey ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const record = auditRecord({
      writer: ctx.auditWriter,
      action: 'job.submitted',
      userId: ownerId,
      userName,
      clientId: credential.client_id,
      jti: credential.jti,
      jobId: job.id,
      details: { profile: job.profile, queue: job.queue, input: job.input, output: job.output },
      time: now,
    });
    await enqueue(tx, outbox, [auditMessage(record)]);
    await notifyJobChanged(tx, job.id);
    const dispatched = await dispatchWaiting(ctx, tx, ownerId);
    const [fresh] = dispatched.includes(job.id) ? await tx.select().from(jobs).where(eq(jobs.id, job.id)) : [job];
    return { job: fresh, created: true };
  });
}
