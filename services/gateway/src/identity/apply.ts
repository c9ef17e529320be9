import { and, eq, inArray, lte, or } from 'drizzle-orm';
import type { IdentityEvent, TokenRevokedEvent, UserEvent, UserState } from '@ffgate/contracts';
import { evaluate, type Policy } from '@ffgate/policy';
import { cancelOwnerJobs } from '../jobs/cancel.ts';
import type { JobsContext } from '../jobs/context.ts';
import { dispatchWaiting } from '../jobs/scheduler.ts';
import type { Tx } from '../store/executor.ts';
import { lockOwner } from '../store/locks.ts';
import { jobs, users } from '../store/schema.ts';

export type IdentityApplyResult = 'applied' | 'stale' | 'ignored';

/**
 * Apply one identity event to the users projection, idempotently by version, and act on it in the
 * same transaction: a deactivated or deleted owner's unfinished jobs are canceled
 * (`owner_deprovisioned`: waiting ones at once, dispatched ones through `job.cancel`); a change
 * that takes away a job's profile or queue cancels that job (`role_revoked`); otherwise the
 * owner's waiting jobs are dispatched (a new user, a reactivation or a higher maxRunning).
 */
export async function applyIdentityEvent(ctx: JobsContext, event: IdentityEvent): Promise<IdentityApplyResult> {
  if (!event.type.startsWith('identity.user.')) return 'ignored';
  const e = event as UserEvent;
  return ctx.db.transaction(async (tx) => {
    await lockOwner(tx, e.resourceId);
    const [prev] = await tx.select().from(users).where(eq(users.id, e.resourceId)).for('update');
    if (prev && prev.version >= e.version) return 'stale';
    if (prev?.deleted) {
      await tx.update(users).set({ version: e.version }).where(eq(users.id, e.resourceId));
      return 'stale';
    }
    const deleted = e.type === 'identity.user.deleted';
    const state: UserState = deleted ? { ...e.data, active: false } : e.data;
    const row = { id: e.resourceId, userName: state.userName, active: state.active, deleted, state, version: e.version, updatedAt: new Date(ctx.now()) };
    await tx.insert(users).values(row).onConflictDoUpdate({ target: users.id, set: row });
    // jobs submitted before the projection knew the user carry the SCIM id as their userName
    await tx.update(jobs).set({ ownerUserName: state.userName }).where(and(eq(jobs.ownerId, e.resourceId), eq(jobs.ownerUserName, e.resourceId)));

    const actor = `identity:${e.type}`;
    if (deleted || !state.active) {
      await cancelOwnerJobs(ctx, tx, e.resourceId, 'owner_deprovisioned', actor);
      return 'applied';
    }
    await enforceRoles(ctx, tx, e.resourceId, state, ctx.policy(), actor);
    await dispatchWaiting(ctx, tx, e.resourceId);
    return 'applied';
  });
}

/** Cancel the owner's unfinished jobs whose profile or queue the policy no longer grants (`role_revoked`). */
export async function enforceRoles(ctx: JobsContext, tx: Tx, ownerId: string, state: UserState, policy: Policy, actor: string): Promise<void> {
  const roles = evaluate(policy, state);
  await cancelOwnerJobs(ctx, tx, ownerId, 'role_revoked', actor, (job) => job.status !== 'canceled' && (!roles.profiles.includes(job.profile) || !roles.queues.includes(job.queue)));
}

/** After a policy reload: enforce the new roles on every owner with unfinished jobs, then dispatch. */
export async function reapplyPolicy(ctx: JobsContext): Promise<void> {
  const owners = await ctx.db.selectDistinct({ ownerId: jobs.ownerId }).from(jobs).where(inArray(jobs.status, ['queued', 'running']));
  for (const { ownerId } of owners) {
    await ctx.db.transaction(async (tx) => {
      await lockOwner(tx, ownerId);
      const [user] = await tx.select().from(users).where(eq(users.id, ownerId));
      if (!user || !user.active || user.deleted) return;
      await enforceRoles(ctx, tx, ownerId, user.state, ctx.policy(), 'policy:reload');
      await dispatchWaiting(ctx, tx, ownerId);
    });
  }
}

/**
 * A `token.revoked`: cancel the unfinished jobs submitted with the revoked credential (jti) or
 * with any credential of the user issued at or before `revokedBefore`. Revocations that follow a
 * deactivation or deletion are owner deprovisioning (the stronger reason); the rest are
 * `credential_revoked`.
 */
export async function applyRevocationEvent(ctx: JobsContext, event: TokenRevokedEvent): Promise<number> {
  const conditions = [];
  if (event.jti) conditions.push(eq(jobs.jti, event.jti));
  if (event.userId && event.revokedBefore) conditions.push(and(eq(jobs.ownerId, event.userId), lte(jobs.credentialIssuedAt, new Date(event.revokedBefore))));
  if (conditions.length === 0) return 0;
  const affected = await ctx.db
    .selectDistinct({ ownerId: jobs.ownerId })
    .from(jobs)
    .where(and(or(...conditions), inArray(jobs.status, ['queued', 'running', 'canceled'])));
  const reason = event.reason === 'user.deactivated' || event.reason === 'user.deleted' ? 'owner_deprovisioned' : 'credential_revoked';
  const before = event.revokedBefore ? Date.parse(event.revokedBefore) : undefined;
  let touched = 0;
  for (const { ownerId } of affected) {
    await ctx.db.transaction(async (tx) => {
      await lockOwner(tx, ownerId);
      const counts = await cancelOwnerJobs(ctx, tx, ownerId, reason, `token.revoked:${event.reason}`, (job) =>
        (event.jti !== undefined && job.jti === event.jti) ||
        (event.userId === ownerId && before !== undefined && job.credentialIssuedAt.getTime() <= before),
      );
      touched += counts.canceled + counts.cancel_requested + counts.reason_upgraded;
    });
  }
  return touched;
}
