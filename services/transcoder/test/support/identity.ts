import { randomUUID } from 'node:crypto';
import type { Bus } from '@ffgate/bus';
import { blankUserState, identitySubject, tokenRevokedSubject, type IdentityEventType, type UserState } from '@ffgate/contracts';

export function makeUser(id: string, options: { active?: boolean; department?: string | null } = {}): UserState {
  const user = blankUserState({ id, userName: `${id}@example.com`, displayName: id, active: options.active ?? true });
  return { ...user, enterprise: { ...user.enterprise, department: options.department ?? null } };
}

/** Publishes a user's identity events with growing versions, as the SCIM service would. */
export class FakeIdp {
  readonly #versions = new Map<string, number>();
  readonly #bus: Bus;
  constructor(bus: Bus) {
    this.#bus = bus;
  }

  async publish(type: IdentityEventType, user: UserState): Promise<{ time: string }> {
    const version = (this.#versions.get(user.id) ?? 0) + 1;
    this.#versions.set(user.id, version);
    const event = { id: randomUUID(), type, time: new Date().toISOString(), resourceId: user.id, version, actor: 'test-idp', data: user };
    await this.#bus.publish(identitySubject(type, user.id), event, { msgId: event.id });
    return { time: event.time };
  }

  async revokeUser(userId: string, reason = 'user.deactivated'): Promise<void> {
    const t = new Date().toISOString();
    const event = { id: randomUUID(), type: 'token.revoked', time: t, userId, revokedBefore: t, reason };
    await this.#bus.publish(tokenRevokedSubject(userId), event, { msgId: event.id });
  }
}
