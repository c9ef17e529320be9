import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { openDatabase } from '@ffgate/db';

const migrationsFolder = fileURLToPath(new URL('./fixtures/migrations', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'ffgate-pglite-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test('PGlite with a data directory keeps data and applied migrations across reopen', async () => {
  const first = await openDatabase({ dataDir });
  expect(first.kind).toBe('pglite');
  await first.migrate({ schema: 'dbtest', migrationsFolder });
  await first.db.execute(sql`insert into "dbtest"."items" (name) values ('kept')`);
  await first.close();

  const second = await openDatabase({ dataDir });
  await second.migrate({ schema: 'dbtest', migrationsFolder }); // already applied: a no-op
  const res = (await second.db.execute(sql`select name from "dbtest"."items"`)) as unknown as { rows: { name: string }[] };
  expect(res.rows).toEqual([{ name: 'kept' }]);
  await second.close();
});
