import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { pgSchema } from 'drizzle-orm/pg-core';
import type { Database } from '@ffgate/db';
import { outboxTable } from '@ffgate/outbox';

/** A test-only service schema carrying just an outbox (same DDL drizzle-kit writes for services). */
export const obtest = pgSchema('obtest');
export const outbox = outboxTable(obtest);
export const migrationsFolder = fileURLToPath(new URL('../fixtures/migrations', import.meta.url));

export async function migrateOutbox(database: Database): Promise<void> {
  await database.migrate({ schema: 'obtest', migrationsFolder });
}

export async function countRows(database: Database, where: 'all' | 'unsent' = 'all'): Promise<number> {
  const filter = where === 'unsent' ? sql` where sent_at is null` : sql``;
  const res = (await database.db.execute(sql`select count(*)::int as n from "obtest"."outbox"${filter}`)) as unknown as {
    rows: { n: number }[];
  };
  return res.rows[0].n;
}
