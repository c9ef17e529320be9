import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { DatabaseError, openDatabase } from '@ffgate/db';

// a fresh FFGATE_DATA_DIR: nothing below it exists yet (PGlite alone fails with ENOENT here)
const root = mkdtempSync(join(tmpdir(), 'ffgate-pglite-mkdir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const rows = async (db: Awaited<ReturnType<typeof openDatabase>>) =>
  ((await db.db.execute(sql`select v from kept`)) as unknown as { rows: { v: string }[] }).rows;

test('a missing data directory (parents included) is created, and the data survives a reopen', async () => {
  const dataDir = join(root, 'missing', 'parents', 'token-db');
  const first = await openDatabase({ dataDir });
  expect(statSync(dataDir).isDirectory()).toBe(true);
  await first.db.execute(sql`create table kept (v text)`);
  await first.db.execute(sql`insert into kept values ('yes')`);
  await first.close();

  const second = await openDatabase({ dataDir });
  expect(await rows(second)).toEqual([{ v: 'yes' }]);
  await second.close();
});

test('a file:// data directory is created at the path PGlite reads', async () => {
  const path = join(root, 'via-url', 'db');
  const database = await openDatabase({ dataDir: `file://${path}` });
  await database.ping();
  expect(existsSync(join(path, 'PG_VERSION'))).toBe(true);
  await database.close();
});

test('a data directory that cannot be created fails with a coded error naming the path', async () => {
  const blocker = join(root, 'a-file');
  writeFileSync(blocker, 'not a directory');
  const dataDir = join(blocker, 'db');
  const err = await openDatabase({ dataDir }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DatabaseError);
  expect((err as DatabaseError).code).toBe('FFGATE_DB_UNREACHABLE');
  expect((err as DatabaseError).message).toContain(dataDir);
  expect(((err as DatabaseError).cause as NodeJS.ErrnoException).code).toBe('ENOTDIR');
});
