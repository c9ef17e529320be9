import { randomBytes } from 'node:crypto';
import { beforeAll } from '@jest/globals';
import type { Database } from '@ffgate/db';
import type { DatabaseContext } from '@ffgate/testing';
import { createIdentityStore, migrateScim, outbox, type IdentityStore, type IdentityStoreOptions } from '../../src/store/index.ts';

/** An event as stored in the outbox, with its subject. */
export interface OutboxEvent {
  subject: string;
  id: string;
  type: string;
  time: string;
  resourceId: string;
  version: number;
  actor: string | null;
  data: Record<string, any>;
}

export interface StoreHarness {
  database: Database;
  store: IdentityStore;
  /** outbox events in publish order, optionally only those about the given resources */
  events(...resourceIds: string[]): Promise<OutboxEvent[]>;
}

/** One migrated database and store per suite (PGlite takes ~2 s to start: share it). Tests use unique names. */
export function useStore(ctx: DatabaseContext, options: Omit<IdentityStoreOptions, 'database'> = {}): StoreHarness {
  const harness = {} as StoreHarness;
  beforeAll(async () => {
    harness.database = await ctx.open();
    await migrateScim(harness.database);
    harness.store = createIdentityStore({ database: harness.database, ...options });
    harness.events = (...ids) => outboxEvents(harness.database, ids);
  });
  return harness;
}

export async function outboxEvents(database: Database, resourceIds: string[] = []): Promise<OutboxEvent[]> {
  const rows = await database.db.select().from(outbox).orderBy(outbox.seq);
  const events = rows.map((r) => ({ subject: r.subject, ...(r.payload as Omit<OutboxEvent, 'subject'>) }));
  return resourceIds.length === 0 ? events : events.filter((e) => resourceIds.includes(e.resourceId));
}

export async function outboxCount(database: Database): Promise<number> {
  return (await database.db.select().from(outbox)).length;
}

/** A name no other test in the suite uses. */
export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export const okta = { actor: 'okta' };
