/**
 * IdentityStore: the SCIM service's persistence port. Every write runs in one transaction that
 * also enqueues its identity events in the outbox (see @ffgate/outbox), bumps the resource's
 * `version` (→ meta.version and ETag) and records the acting connection.
 *
 * Resources cross this port as plain SCIM JSON objects:
 * - users: core attributes at top level, enterprise extension under
 *   `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`; never `password`.
 * - groups: `displayName`, `externalId`, `members: [{ value, display?, type? }]`.
 * `id` and `meta` are owned by the store.
 */
export type ScimJson = Record<string, unknown>;

export type ResourceType = 'User' | 'Group';

export interface StoredResource {
  id: string;
  version: number;
  created: Date;
  lastModified: Date;
  /** SCIM representation without `id`/`meta` (users include `groups`, groups include `members` with display) */
  resource: ScimJson;
}

export interface WriteContext {
  /** connection name (or other actor) making the change; recorded on the row and in events */
  actor: string | null;
  /** If-Match: the write fails with PreconditionFailedError unless the current version equals it */
  ifVersion?: number;
}

export interface ListQuery {
  filter?: string;
  sortBy?: string;
  sortOrder?: 'ascending' | 'descending';
  /** 1-based */
  startIndex: number;
  count: number;
}

export interface ListResult {
  totalResults: number;
  resources: StoredResource[];
}

/** Receives the current representation and returns the next one (PATCH / PUT application). */
export type Mutation = (current: StoredResource) => ScimJson | Promise<ScimJson>;

export interface IdentityStore {
  get(type: ResourceType, id: string): Promise<StoredResource | null>;
  list(type: ResourceType, query: ListQuery): Promise<ListResult>;
  create(type: ResourceType, resource: ScimJson, ctx: WriteContext): Promise<StoredResource>;
  /** read-modify-write under a row lock; NotFoundError when absent */
  update(type: ResourceType, id: string, mutate: Mutation, ctx: WriteContext): Promise<StoredResource>;
  /** hard delete; emits the deleted event with the last state; NotFoundError when absent */
  delete(type: ResourceType, id: string, ctx: WriteContext): Promise<void>;
}
