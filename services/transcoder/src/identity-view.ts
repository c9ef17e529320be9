import type { UserState } from '@ffgate/contracts';

export type OwnerStatus = 'unknown' | 'active' | 'inactive' | 'deleted';

interface Entry {
  version: number;
  state: UserState;
  deleted: boolean;
}

/**
 * Every SCIM user as the last identity event told it, in memory (IDENTITY replayed from the
 * start). Idempotent by `(resourceId, version)`: an event whose version is not newer than the one
 * applied is ignored, so replays and redeliveries change nothing.
 */
export class IdentityView {
  readonly #users = new Map<string, Entry>();

  /** Apply a user event; returns false when it was old news. */
  apply(userId: string, version: number, state: UserState, deleted: boolean): boolean {
    const prior = this.#users.get(userId);
    if (prior && prior.version >= version) return false;
    this.#users.set(userId, { version, state, deleted });
    return true;
  }

  status(userId: string): OwnerStatus {
    const e = this.#users.get(userId);
    if (!e) return 'unknown';
    if (e.deleted) return 'deleted';
    return e.state.active ? 'active' : 'inactive';
  }

  /** the current state of a user that exists and is active, else undefined */
  activeState(userId: string): UserState | undefined {
    return this.status(userId) === 'active' ? this.#users.get(userId)?.state : undefined;
  }

  get size(): number {
    return this.#users.size;
  }
}
