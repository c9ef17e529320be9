import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Bus } from '@ffgate/bus';
import { tokenRevokedSubject, type IdentityEvent, type TokenRevokedEvent } from '@ffgate/contracts';
import type { Drizzle } from '@ffgate/db';
import { users } from '../store/schema.ts';

/**
 * The fast path of deprovisioning. Alongside the projection's transaction (about ten statements and
 * a commit, which does not wait for this), a new `deactivated`/`deleted` event is announced straight
 * on the bus, so verifiers stop accepting the user's credentials within a few milliseconds. It is
 * only a head start: the transaction still writes its own `token.revoked` (own id, own time)
 * through the outbox, which is what guarantees delivery; if the transaction fails the handler is
 * retried, and a revocation announced early is at worst fail-closed. Replays (a version already
 * applied) announce nothing: a replayed deactivation must not kill credentials minted after a
 * later reactivation.
 */
export async function announceRevocationEarly(deps: { db: Drizzle; bus: Bus; now: () => number; onError(err: unknown): void }, event: IdentityEvent): Promise<boolean> {
  if (event.type !== 'identity.user.deactivated' && event.type !== 'identity.user.deleted') return false;
  try {
    const [row] = await deps.db.select({ version: users.version, deleted: users.deleted }).from(users).where(eq(users.id, event.resourceId)).limit(1);
    if (row && (row.version >= event.version || row.deleted)) return false;
    const time = new Date(deps.now()).toISOString();
    const revoked: TokenRevokedEvent = {
      id: randomUUID(),
      type: 'token.revoked',
      time,
      userId: event.resourceId,
      revokedBefore: time,
      reason: event.type === 'identity.user.deleted' ? 'user.deleted' : 'user.deactivated',
    };
    await deps.bus.publish(tokenRevokedSubject(event.resourceId), revoked, { msgId: revoked.id });
    return true;
  } catch (err) {
    // the outbox path still delivers the revocation; only the head start is lost
    deps.onError(err);
    return false;
  }
}
