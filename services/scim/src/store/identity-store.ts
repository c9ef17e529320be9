import { randomUUID } from 'node:crypto';
import type { Database } from '@ffgate/db';
import { enqueue } from '@ffgate/outbox';
import { isRetryableConflict } from './db-errors.ts';
import { IdentityStoreError, StoreUnavailableError } from './errors.ts';
import type { Tx, WriteScope } from './executor.ts';
import { createGroup, deleteGroup, updateGroup } from './group-writes.ts';
import { MutationFailure } from './mutation.ts';
import type { IdentityStore, ListQuery, Mutation, ResourceType, ScimJson, WriteContext } from './port.ts';
import { listPlanned, readOne } from './reads.ts';
import { outbox } from './schema.ts';
import { createUser, deleteUser, updateUser } from './user-writes.ts';

export interface IdentityStoreOptions {
  /** from @ffgate/db `openDatabase`, migrated with this service's migrations */
  database: Pick<Database, 'db'>;
  /** time source for last_modified and event times (tests pin it) */
  clock?: () => Date;
  /** resource id generator (default: random UUID) */
  ids?: () => string;
  /** event id generator (default: random UUID) */
  eventIds?: () => string;
  /** runs of a write that hit a deadlock or serialization failure before giving up (default 3) */
  maxAttempts?: number;
}

/**
 * The IdentityStore on PostgreSQL or PGlite. Every write is one transaction holding the row
 * change, the version bump, the actor and the write's identity events in the outbox.
 */
export function createIdentityStore(options: IdentityStoreOptions): IdentityStore {
  const { db } = options.database;
  const clock = options.clock ?? (() => new Date());
  const newId = options.ids ?? randomUUID;
  const newEventId = options.eventIds ?? randomUUID;
  const maxAttempts = options.maxAttempts ?? 3;

  async function write<T>(operation: string, ctx: WriteContext, work: (scope: WriteScope) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await db.transaction(async (tx) => {
          const scope: WriteScope = { tx, builder: tx, now: clock(), actor: ctx.actor ?? null, messages: [], deferred: [], newEventId };
          const result = await work(scope);
          await flush(tx, scope);
          return result;
        });
      } catch (err) {
        // a deadlock victim rolled back completely: running it again is safe
        if (isRetryableConflict(err) && attempt < maxAttempts) continue;
        throw storeFailure(operation, err);
      }
    }
  }

  /** deferred writes, the outbox rows and the NOTIFY: one statement, one round trip */
  async function flush(tx: Tx, scope: WriteScope): Promise<void> {
    try {
      await enqueue(tx, outbox, scope.messages, { alongside: scope.deferred.map((d) => d.statement) });
    } catch (err) {
      for (const d of scope.deferred) {
        const mapped = d.mapError?.(err) ?? err;
        if (mapped !== err) throw mapped;
      }
      throw err;
    }
  }

  async function read<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw storeFailure(operation, err);
    }
  }

  return {
    get(type: ResourceType, id: string) {
      return read(`get ${type}`, () => readOne(db, type, id));
    },
    async list(type: ResourceType, query: ListQuery) {
      const run = listPlanned(db, type, query); // an invalid filter rejects here, untouched
      return read(`list ${type}`, run);
    },
    create(type: ResourceType, resource: ScimJson, ctx: WriteContext) {
      const id = newId();
      return write(`create ${type}`, ctx, async (scope) => (type === 'User' ? createUser(scope, id, resource) : createGroup(scope, id, resource)));
    },
    update(type: ResourceType, id: string, mutate: Mutation, ctx: WriteContext) {
      return write(`update ${type}`, ctx, (scope) =>
        type === 'User' ? updateUser(scope, id, mutate, ctx.ifVersion) : updateGroup(scope, id, mutate, ctx.ifVersion),
      );
    },
    delete(type: ResourceType, id: string, ctx: WriteContext) {
      return write(`delete ${type}`, ctx, (scope) => (type === 'User' ? deleteUser(scope, id, ctx.ifVersion) : deleteGroup(scope, id, ctx.ifVersion)));
    },
  };
}

/**
 * Domain errors pass; the caller's own mutation errors pass untouched; a broken event contract
 * (a bug) passes so it fails loudly. Everything else is the database failing → 503, never 404.
 */
function storeFailure(operation: string, err: unknown): unknown {
  if (err instanceof IdentityStoreError) return err;
  if (err instanceof MutationFailure) return err.error;
  if ((err as { code?: unknown } | null)?.code === 'FFGATE_CONTRACT_INVALID') return err;
  return new StoreUnavailableError(operation, err);
}
