import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { createMemoryBus, silentLogger, type Bus } from '@ffgate/bus';
import { openDatabase, type Database } from '@ffgate/db';
import type { IdentityEvent } from '@ffgate/contracts';
import { migrateToken } from '../src/index.ts';
import { announceRevocationEarly } from '../src/revocation/early.ts';
import { FakeIdp, projected, runService, userState } from './harness.ts';

/** The deprovisioning head start: announced once for a new deactivation, never for a replay. */
describe('early revocation announcement', () => {
  let database: Database;
  const published: { subject: string; event: any }[] = [];
  let failing = false;
  const bus = {
    publish: async (subject: string, event: unknown) => {
      if (failing) throw new Error('bus down');
      published.push({ subject, event });
      return { stream: 'TOKENS', seq: published.length, duplicate: false };
    },
  } as unknown as Bus;
  const errors: unknown[] = [];
  const deps = () => ({ db: database.db, bus, now: () => Date.parse('2026-12-04T12:00:00Z'), onError: (e: unknown) => errors.push(e) });
  const event = (type: IdentityEvent['type'], id: string, version: number) =>
    ({ id: `e-${id}-${version}`, type, time: new Date().toISOString(), resourceId: id, version, actor: 'okta', data: userState(id, { active: false }) }) as IdentityEvent;

  beforeAll(async () => {
    database = await openDatabase();
    await migrateToken(database);
    await database.db.execute(sql`insert into "token"."users" (id, user_name, active, state, version) values ('u1', 'u1', true, '{}'::jsonb, 3)`);
  });
  afterAll(() => database.close());

  test('a new deactivation or deletion is announced with the user and a revokedBefore', async () => {
    expect(await announceRevocationEarly(deps(), event('identity.user.deactivated', 'u1', 4))).toBe(true);
    expect(published.at(-1)).toMatchObject({
      subject: 'token.revoked.u1',
      event: { type: 'token.revoked', userId: 'u1', revokedBefore: '2026-12-04T12:00:00.000Z', reason: 'user.deactivated' },
    });
    expect(await announceRevocationEarly(deps(), event('identity.user.deleted', 'unknown-user', 2))).toBe(true);
    expect(published.at(-1)!.event.reason).toBe('user.deleted');
  });

  test('replays and other event types announce nothing', async () => {
    const before = published.length;
    expect(await announceRevocationEarly(deps(), event('identity.user.deactivated', 'u1', 3))).toBe(false);
    expect(await announceRevocationEarly(deps(), event('identity.user.updated', 'u1', 9))).toBe(false);
    expect(await announceRevocationEarly(deps(), event('identity.user.reactivated', 'u1', 9))).toBe(false);
    expect(published.length).toBe(before);
  });

  test('a bus failure is reported, not thrown: the outbox still delivers', async () => {
    failing = true;
    expect(await announceRevocationEarly(deps(), event('identity.user.deactivated', 'u1', 5))).toBe(false);
    failing = false;
    expect(errors).toHaveLength(1);
  });
});

describe('early revocation in the service', () => {
  test('a publish that does not return holds up neither the projection nor the next events', async () => {
    const memory = createMemoryBus({ logger: silentLogger });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // every token.revoked publish (the head start and the outbox relay) hangs until released
    const bus = new Proxy(memory, {
      get(target, key) {
        if (key === 'publish') {
          return async (...args: Parameters<Bus['publish']>) => {
            if (args[0].startsWith('token.revoked.')) await held;
            return target.publish(...args);
          };
        }
        const value = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const database = await openDatabase();
    const running = await runService({ database, bus });
    try {
      const idp = new FakeIdp(bus);
      await idp.create('hal');
      await projected(database, 'hal', 1);
      await idp.deactivate('hal');
      await idp.reactivate('hal');
      await projected(database, 'hal', 3);
      const [row] = ((await database.db.execute(sql`select active, revoked_before from "token"."users" where id = 'hal'`)) as any).rows;
      expect(row.active).toBe(true);
      expect(row.revoked_before).not.toBeNull();
    } finally {
      release();
      await running.close();
      await memory.close();
      await database.close();
    }
  });
});
