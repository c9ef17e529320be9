import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { IdentityEvent, UserEvent, UserState } from '@ffgate/contracts';
import { evaluate, lostGrants, NO_ROLES, type Policy } from '@ffgate/policy';
import type { Drizzle } from '@ffgate/db';
import { revokeCredentials, revokeUser } from '../revocation/revoke.ts';
import { writeAudit } from '../store/audit.ts';
import type { Tx } from '../store/executor.ts';
import { clients, credentials, users } from '../store/schema.ts';

export type ApplyResult = 'applied' | 'stale' | 'ignored';

export interface ApplyDeps {
  db: Drizzle;
  policy: () => Policy;
  now?: () => number;
}

/**
 * Apply one identity event to the users projection, with every revocation it causes, in one
 * transaction. Idempotent by (resourceId, version): a version at or below the stored one is a
 * replay and changes nothing. Group events are ignored: SCIM re-publishes every member's user
 * event (with its `groups`) when a membership changes, and roles are computed from user state.
 */
export async function applyIdentityEvent(deps: ApplyDeps, event: IdentityEvent): Promise<ApplyResult> {
  if (!event.type.startsWith('identity.user.')) return 'ignored';
  const e = event as UserEvent;
  const now = deps.now ?? Date.now;
  return deps.db.transaction(async (tx) => {
    const [prev] = await tx.select().from(users).where(eq(users.id, e.resourceId)).for('update');
    if (prev && prev.version >= e.version) return 'stale';
    if (prev?.deleted) {
      // a tombstone only moves forward in version; nothing brings a deleted id back
      await tx.update(users).set({ version: e.version }).where(eq(users.id, e.resourceId));
      return 'stale';
    }

    const deleted = e.type === 'identity.user.deleted';
    const state: UserState = deleted ? { ...e.data, active: false } : e.data;
    const roles = deleted ? NO_ROLES : evaluate(deps.policy(), state);
    const row = {
      id: e.resourceId,
      userName: state.userName,
      externalId: state.externalId,
      emails: emailsOf(state),
      active: state.active,
      deleted,
      state,
      profiles: roles.profiles,
      queues: roles.queues,
      version: e.version,
      updatedAt: new Date(now()),
    };
    await tx.insert(users).values(row).onConflictDoUpdate({ target: users.id, set: row });

    const actor = e.actor ? `idp:${e.actor}` : 'idp';
    const wasActive = prev?.active ?? false;
    // our clock, not the IdP's commit time: every credential we minted up to now (including while
    // this event was in flight) has iat <= now, and another host's clock skew cannot push it ahead
    const before = new Date(now());
    if (deleted || (wasActive && !state.active)) {
      await revokeUser(tx, { userId: e.resourceId, before, reason: deleted ? 'user.deleted' : 'user.deactivated', actor, disableClients: true });
    } else if (prev && !wasActive && state.active) {
      await reenableClients(tx, e.resourceId, before, actor);
    } else if (prev) {
      await revokeLostGrants(tx, e.resourceId, prev, roles, before, actor);
    }
    return 'applied';
  });
}

/** Credentials carrying a profile or queue the user no longer has are revoked, one jti at a time. */
export async function revokeLostGrants(
  tx: Tx,
  userId: string,
  before: { profiles: string[]; queues: string[] },
  after: { profiles: string[]; queues: string[] },
  at: Date,
  actor: string,
): Promise<string[]> {
  const lost = lostGrants(before, after);
  if (!lost.any) return [];
  const live = await tx
    .select({ jti: credentials.jti, profiles: credentials.profiles, queues: credentials.queues })
    .from(credentials)
    .where(and(eq(credentials.userId, userId), isNull(credentials.revokedAt), gt(credentials.expiresAt, at)));
  const carrying = live.filter((c) => c.profiles.some((p) => lost.profiles.includes(p)) || c.queues.some((q) => lost.queues.includes(q)));
  return revokeCredentials(tx, { jtis: carrying.map((c) => c.jti), reason: 'grant.removed', actor, at });
}

/** Reactivation: clients disabled by the deactivation work again; their old credentials stay dead. */
async function reenableClients(tx: Tx, userId: string, at: Date, actor: string): Promise<void> {
  const rows = await tx
    .update(clients)
    .set({ disabledAt: null, disabledReason: null })
    .where(and(eq(clients.userId, userId), eq(clients.disabledReason, 'user.deactivated')))
    .returning({ id: clients.id });
  await writeAudit(
    tx,
    rows.map((c) => ({ action: 'client.enabled' as const, userId, clientId: c.id, reason: 'user.reactivated', actor, at })),
  );
}

function emailsOf(state: UserState): string[] {
  return state.emails.map((m) => m.value?.trim().toLowerCase()).filter((v): v is string => !!v);
}

/** Re-evaluate every active user under a new policy; revoke credentials carrying grants it took away. */
export async function reevaluateUsers(deps: ApplyDeps, policy: Policy): Promise<{ users: number; revoked: number }> {
  const now = deps.now ?? Date.now;
  let after = '';
  let count = 0;
  let revoked = 0;
  for (;;) {
    const page = await deps.db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.active, true), eq(users.deleted, false), sql`${users.id} > ${after}`))
      .orderBy(users.id)
      .limit(200);
    if (page.length === 0) break;
    for (const { id } of page) {
      revoked += await deps.db.transaction(async (tx) => {
        const [u] = await tx.select().from(users).where(eq(users.id, id)).for('update');
        if (!u || !u.active || u.deleted) return 0;
        const roles = evaluate(policy, u.state);
        await tx.update(users).set({ profiles: roles.profiles, queues: roles.queues }).where(eq(users.id, id));
        return (await revokeLostGrants(tx, id, u, roles, new Date(now()), 'policy')).length;
      });
      count++;
    }
    after = page[page.length - 1]!.id;
  }
  return { users: count, revoked };
}
