import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { forEachDatabase, waitFor } from '@ffgate/testing';
import { advisoryKey, type Database } from '@ffgate/db';

const migrationsFolder = fileURLToPath(new URL('./fixtures/migrations', import.meta.url));

async function rows<T>(database: Database, query: ReturnType<typeof sql>): Promise<T[]> {
  const res = (await database.db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

forEachDatabase('Database', ({ open, kind }) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(async () => {
    await database.close();
  });

  test('four concurrent migrate() calls on a fresh database all succeed and apply each migration once', async () => {
    await Promise.all([1, 2, 3, 4].map(() => database.migrate({ schema: 'dbtest', migrationsFolder })));
    const applied = await rows<{ n: number }>(database, sql`select count(*)::int as n from "dbtest"."__drizzle_migrations"`);
    expect(applied[0].n).toBe(2);
    // the second migration's column exists
    await database.db.execute(sql`insert into "dbtest"."items" (name, note) values ('a', 'b')`);
  });

  test('migrate() is idempotent', async () => {
    await database.migrate({ schema: 'dbtest', migrationsFolder });
    await database.migrate({ schema: 'dbtest', migrationsFolder });
    const applied = await rows<{ n: number }>(database, sql`select count(*)::int as n from "dbtest"."__drizzle_migrations"`);
    expect(applied[0].n).toBe(2);
    const items = await rows<{ n: number }>(database, sql`select count(*)::int as n from "dbtest"."items"`);
    expect(items[0].n).toBe(1);
  });

  test('a broken migrations folder fails with a stable code', async () => {
    await expect(database.migrate({ schema: 'nothing', migrationsFolder: '/nonexistent' })).rejects.toMatchObject({
      code: 'FFGATE_DB_MIGRATION_FAILED',
    });
  });

  test('an advisory lock is exclusive until released', async () => {
    const first = await database.tryAdvisoryLock('test:exclusive');
    expect(first).not.toBeNull();
    expect(await database.tryAdvisoryLock('test:exclusive')).toBeNull();
    // other names are independent
    const other = await database.tryAdvisoryLock('test:other');
    expect(other).not.toBeNull();
    await first!.release();
    await first!.release(); // idempotent
    await first!.lost; // resolves once the lock is no longer held
    const again = await database.tryAdvisoryLock('test:exclusive');
    expect(again).not.toBeNull();
    await again!.release();
    await other!.release();
  });

  test('NOTIFY is delivered after commit, not before, and never on rollback', async () => {
    const channel = `test_notify_${kind}`;
    const received: string[] = [];
    const stop = await database.listen(channel, (payload) => received.push(payload));

    await database.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_notify(${channel}, 'committed')`);
      await tx.execute(sql`select 1`);
      expect(received).toEqual([]);
    });
    await waitFor(() => received.includes('committed'), { message: 'notification after commit' });

    await expect(
      database.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_notify(${channel}, 'rolled-back')`);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await database.db.execute(sql`select pg_notify(${channel}, 'marker')`);
    await waitFor(() => received.includes('marker'), { message: 'marker notification' });
    expect(received).toEqual(['committed', 'marker']);

    await stop();
    await stop(); // idempotent
  });

  test('ping() succeeds while open; the handle refuses work after close(), which is idempotent', async () => {
    const extra = await open();
    await extra.ping();
    await extra.close();
    await extra.close();
    await expect(extra.ping()).rejects.toMatchObject({ code: 'FFGATE_DB_CLOSED' });
  });
});

describe('advisoryKey', () => {
  test('is stable, signed 64-bit, and differs between names', () => {
    const a = advisoryKey('ffgate:outbox:scim');
    expect(advisoryKey('ffgate:outbox:scim')).toBe(a);
    expect(advisoryKey('ffgate:migrate:scim')).not.toBe(a);
    expect(a >= -(2n ** 63n) && a < 2n ** 63n).toBe(true);
  });
});
