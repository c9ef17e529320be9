import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { createTestDatabase, describeWithPostgres, waitFor, type TestDatabase } from '@ffgate/testing';
import { openDatabase, type Database } from '@ffgate/db';

const migrationsFolder = fileURLToPath(new URL('./fixtures/migrations', import.meta.url));

/** Terminate the backends of one application_name (a session dying under its holder). */
async function terminate(url: string, applicationName: string): Promise<number> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const res = await admin.query(
      'select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = current_database() and application_name = $1',
      [applicationName],
    );
    return res.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

describeWithPostgres('Database [postgres] dedicated sessions', () => {
  let testDb: TestDatabase;
  let a: Database;
  let b: Database;
  beforeAll(async () => {
    testDb = await createTestDatabase('ffgate_db');
    a = await openDatabase({ url: testDb.url });
    b = await openDatabase({ url: testDb.url });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await testDb?.drop();
  });

  test('four replicas migrating a fresh database at once each succeed; migrations apply once', async () => {
    const replicas = await Promise.all([1, 2, 3, 4].map(() => openDatabase({ url: testDb.url })));
    try {
      await Promise.all(replicas.map((r) => r.migrate({ schema: 'dbtest', migrationsFolder })));
      const res = (await a.db.execute(sql`select count(*)::int as n from "dbtest"."__drizzle_migrations"`)) as unknown as {
        rows: { n: number }[];
      };
      expect(res.rows[0].n).toBe(2);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
    }
  });

  test('the lock is lost when its session is terminated, and another session then takes it', async () => {
    const lock = await a.tryAdvisoryLock('test:lost');
    expect(lock).not.toBeNull();
    expect(await b.tryAdvisoryLock('test:lost')).toBeNull();

    expect(await terminate(testDb.url, 'ffgate-lock:test:lost')).toBe(1);
    await lock!.lost;

    const taken = await waitFor(() => b.tryAdvisoryLock('test:lost'), { message: 'b takes the lock' });
    expect(await a.tryAdvisoryLock('test:lost')).toBeNull();
    await taken.release();
    await lock!.release(); // releasing a lost lock is harmless
  });

  test('closing the database releases its locks', async () => {
    const c = await openDatabase({ url: testDb.url });
    const lock = await c.tryAdvisoryLock('test:close');
    expect(lock).not.toBeNull();
    await c.close();
    await lock!.lost;
    const taken = await waitFor(() => b.tryAdvisoryLock('test:close'), { message: 'b takes the lock after close' });
    await taken.release();
  });

  test('a listener reconnects and re-LISTENs after its session dies', async () => {
    const channel = 'test_reconnect';
    const received: string[] = [];
    let reconnects = 0;
    const stop = await a.listen(channel, (p) => received.push(p), { onReconnect: () => reconnects++ });

    await b.db.execute(sql`select pg_notify(${channel}, 'before')`);
    await waitFor(() => received.includes('before'), { message: 'notification before the failure' });

    expect(await terminate(testDb.url, `ffgate-listen:${channel}`)).toBe(1);
    await waitFor(() => reconnects === 1, { message: 'listener reconnected' });

    await b.db.execute(sql`select pg_notify(${channel}, 'after')`);
    await waitFor(() => received.includes('after'), { message: 'notification after reconnect' });
    await stop();
  });

  test('ping() rejects with FFGATE_DB_UNREACHABLE when the server cannot be reached', async () => {
    const dead = await openDatabase({ url: 'postgres://postgres@127.0.0.1:1/none', connectTimeoutMs: 500 });
    await expect(dead.ping()).rejects.toMatchObject({ code: 'FFGATE_DB_UNREACHABLE' });
    await dead.close();
  });
});
