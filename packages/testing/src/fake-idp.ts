import { randomUUID } from 'node:crypto';
import { blankUserState, identitySubject, type UserEvent, type UserState } from '@ffgate/contracts';

/** The slice of @ffgate/bus's Bus this needs (structural, so @ffgate/testing does not depend on the bus it tests). */
export interface Publisher {
  publish(subject: string, event: unknown, options?: { msgId?: string }): Promise<unknown>;
}

export type UserEventType = UserEvent['type'];

/** A user as a test IdP would provision it: `<id>@example.com`, active, everything else blank. */
export function testUserState(id: string, overrides: Partial<UserState> = {}): UserState {
  return blankUserState({ id, userName: `${id}@example.com`, ...overrides });
}

export interface FakeIdpOptions {
  /** the event's `actor` (the IdP connection name); default 'okta' */
  actor?: string | null;
  /** builds the state `create(id, overrides)` publishes; default `testUserState` */
  user?: (id: string, overrides: Partial<UserState>) => UserState;
}

/**
 * Publishes user identity events exactly as the SCIM service's outbox does: subject
 * `identity.user.<change>.<id>`, the full state, per-user versions growing by one, the event id as
 * the de-duplication id. Remembers each user's last state so `update`/`deactivate`/… change it.
 */
export class FakeIdp {
  /** the last state published per user id */
  readonly states = new Map<string, UserState>();
  readonly #versions = new Map<string, number>();
  readonly #bus: Publisher;
  readonly #actor: string | null;
  readonly #user: (id: string, overrides: Partial<UserState>) => UserState;

  constructor(bus: Publisher, options: FakeIdpOptions = {}) {
    this.#bus = bus;
    this.#actor = options.actor === undefined ? 'okta' : options.actor;
    this.#user = options.user ?? testUserState;
  }

  /** Publish `state` as the next version of its user; resolves with the event sent. */
  async publish(type: UserEventType, state: UserState, options: { actor?: string | null } = {}): Promise<UserEvent> {
    const version = this.version(state.id) + 1;
    this.#versions.set(state.id, version);
    this.states.set(state.id, state);
    const actor = options.actor === undefined ? this.#actor : options.actor;
    const event = { id: randomUUID(), type, time: new Date().toISOString(), resourceId: state.id, version, actor, data: state } as UserEvent;
    await this.#bus.publish(identitySubject(type, state.id), event, { msgId: event.id });
    return event;
  }

  create(id: string, overrides: Partial<UserState> = {}): Promise<UserEvent> {
    return this.publish('identity.user.created', this.#user(id, overrides));
  }
  update(id: string, overrides: Partial<UserState>): Promise<UserEvent> {
    return this.publish('identity.user.updated', { ...this.#known(id), ...overrides });
  }
  deactivate(id: string): Promise<UserEvent> {
    return this.publish('identity.user.deactivated', { ...this.#known(id), active: false });
  }
  reactivate(id: string): Promise<UserEvent> {
    return this.publish('identity.user.reactivated', { ...this.#known(id), active: true });
  }
  delete(id: string): Promise<UserEvent> {
    return this.publish('identity.user.deleted', this.#known(id));
  }

  /** the version of the last event published for `id` (0 before the first) */
  version(id: string): number {
    return this.#versions.get(id) ?? 0;
  }

  #known(id: string): UserState {
    const state = this.states.get(id);
    // without this, a typo'd id would publish a state of `{ active: false }` and nothing else
    if (!state) throw new Error(`FakeIdp: user ${id} was never published (create it first)`);
    return state;
  }
}
