import { randomUUID } from 'node:crypto';
import type { Bus } from '@ffgate/bus';
import { tokenRevokedSubject, type UserState } from '@ffgate/contracts';
import { FakeIdp as SharedFakeIdp, testUserState } from '@ffgate/testing';

export function makeUser(id: string, options: { active?: boolean; department?: string | null } = {}): UserState {
  const user = testUserState(id, { displayName: id, active: options.active ?? true });
  return { ...user, enterprise: { ...user.enterprise, department: options.department ?? null } };
}

/** The shared FakeIdp (identity events with per-user versions), plus the token service's revocations. */
export class FakeIdp extends SharedFakeIdp {
  readonly #bus: Bus;
  constructor(bus: Bus) {
    super(bus, { actor: 'test-idp', user: (id, overrides) => ({ ...makeUser(id), ...overrides }) });
    this.#bus = bus;
  }

  /** a `token.revoked` for every credential of `userId` issued until now, as the token service sends it */
  async revokeUser(userId: string, reason = 'user.deactivated'): Promise<void> {
    const t = new Date().toISOString();
    const event = { id: randomUUID(), type: 'token.revoked', time: t, userId, revokedBefore: t, reason };
    await this.#bus.publish(tokenRevokedSubject(userId), event, { msgId: event.id });
  }
}
