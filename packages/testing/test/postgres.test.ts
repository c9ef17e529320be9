import { expect, test } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, describeWithPostgres, testPostgresUrl } from '@ffgate/testing';

async function databaseExists(name: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: testPostgresUrl() });
  await c.connect();
  try {
    const res = await c.query('select 1 from pg_database where datname = $1', [name]);
    return res.rowCount === 1;
  } finally {
    await c.end();
  }
}

describeWithPostgres('createTestDatabase', () => {
  test('creates a fresh randomly named database and drop() removes it even with open connections', async () => {
    const a = await createTestDatabase('ffgate_tt');
    const b = await createTestDatabase('ffgate_tt');
    expect(a.name).not.toBe(b.name);
    expect(a.name.startsWith('ffgate_tt_')).toBe(true);
    expect(await databaseExists(a.name)).toBe(true);

    const open = new pg.Client({ connectionString: a.url });
    open.on('error', () => undefined);
    await open.connect();
    const res = await open.query<{ db: string }>('select current_database() as db');
    expect(res.rows[0].db).toBe(a.name);

    await a.drop();
    await a.drop(); // idempotent
    await b.drop();
    expect(await databaseExists(a.name)).toBe(false);
    expect(await databaseExists(b.name)).toBe(false);
    await open.end().catch(() => undefined);
  });
});
