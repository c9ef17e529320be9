import { describe, expect, test } from '@jest/globals';
import { openDatabase, type Database } from '@ffgate/db';
import { forEachDatabase, freePort } from '@ffgate/testing';
import { createIdentityStore, migrateScim, NotFoundError, StoreUnavailableError, type IdentityStore } from '../../src/store/index.ts';
import { okta, unique } from './harness.ts';

/** Every operation of the port, against an existing id, so "not found" would be the wrong answer. */
async function expectAllUnavailable(store: IdentityStore, userId: string): Promise<void> {
  const attempts: [string, () => Promise<unknown>][] = [
    ['get', () => store.get('User', userId)],
    ['list', () => store.list('User', { startIndex: 1, count: 10 })],
    ['create', () => store.create('User', { userName: unique('down') }, okta)],
    ['update', () => store.update('User', userId, (cur) => ({ ...cur.resource, title: 'x' }), okta)],
    ['delete', () => store.delete('User', userId, okta)],
    ['get group', () => store.get('Group', userId)],
  ];
  for (const [name, attempt] of attempts) {
    const err = await attempt().then(
      () => new Error(`${name} succeeded`),
      (e: unknown) => e,
    );
    expect({ name, error: err }).toEqual({ name, error: expect.any(StoreUnavailableError) });
    expect(err).not.toBeInstanceOf(NotFoundError);
    expect((err as StoreUnavailableError).code).toBe('FFGATE_STORE_UNAVAILABLE');
    expect((err as StoreUnavailableError).cause).toBeDefined();
  }
}

forEachDatabase('IdentityStore outage', (ctx) => {
  test('a closed database → StoreUnavailableError for every operation, never NotFoundError', async () => {
    const database = await ctx.open();
    await migrateScim(database);
    const store = createIdentityStore({ database });
    const u = await store.create('User', { userName: unique('alive') }, okta);
    await database.close();
    await expectAllUnavailable(store, u.id);
  });

  test('deadlock victims are run again; after maxAttempts the failure is StoreUnavailableError', async () => {
    const database = await ctx.open();
    await migrateScim(database);
    const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    let failuresLeft = 1;
    const flaky = {
      db: new Proxy(database.db, {
        get(target, prop, receiver) {
          if (prop !== 'transaction') return Reflect.get(target, prop, receiver);
          return (...args: Parameters<Database['db']['transaction']>) => {
            if (failuresLeft-- > 0) return Promise.reject(new Error('Failed query', { cause: deadlock }));
            return target.transaction(...args);
          };
        },
      }),
    };
    const store = createIdentityStore({ database: flaky, maxAttempts: 2 });
    const u = await store.create('User', { userName: unique('retried') }, okta);
    expect(u.version).toBe(1);

    failuresLeft = 2;
    const err = await store.create('User', { userName: unique('given-up') }, okta).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
  });
});

describe('IdentityStore outage: nothing listening', () => {
  let database: Database | undefined;

  test('PostgreSQL on a dead port → StoreUnavailableError with the connection error as cause', async () => {
    const port = await freePort();
    database = await openDatabase({ url: `postgres://postgres@127.0.0.1:${port}/ffgate`, connectTimeoutMs: 2000 });
    const store = createIdentityStore({ database });
    await expectAllUnavailable(store, 'some-user-id');
    const err = (await store.get('User', 'x').catch((e: unknown) => e)) as StoreUnavailableError;
    const chain: string[] = [];
    // walk by shape: node's socket errors come from another realm than jest's Error
    for (let e = err.cause as { code?: string; message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
      chain.push(`${e.code ?? ''} ${e.message ?? ''}`);
    }
    expect(chain.join('\n')).toMatch(/ECONNREFUSED/);
    await database.close();
  });
});
