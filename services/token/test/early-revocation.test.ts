import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { sql } from 'drizzle-orm';
import type { Bus } from '@ffgate/bus';
import { openDatabase, type Database } from '@ffgate/db';
import type { IdentityEvent } from '@ffgate/contracts';
import { migrateToken } from '../src/index.ts';
import { announceRevocationEarly } from '../src/revocation/early.ts';
import { userState } from './harness.ts';

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
