import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { forEachDatabase } from '@ffgate/testing';
import type { Database } from '@ffgate/db';

// The real migrations of a service, to catch SQL that PGlite (PostgreSQL 18) accepts and 15 refuses.
const scimMigrations = fileURLToPath(new URL('../../../services/scim/drizzle', import.meta.url));

forEachDatabase('SCIM migrations', ({ open }) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(async () => {
    await database.close();
  });

  test('apply concurrently and leave the scim tables and the outbox in place', async () => {
    await Promise.all([1, 2].map(() => database.migrate({ schema: 'scim', migrationsFolder: scimMigrations })));
    const res = (await database.db.execute(
      sql`select table_name from information_schema.tables where table_schema = 'scim' order by table_name`,
    )) as unknown as { rows: { table_name: string }[] };
    expect(res.rows.map((r) => r.table_name)).toEqual(['__drizzle_migrations', 'connections', 'group_members', 'groups', 'outbox', 'users']);
  });
});
