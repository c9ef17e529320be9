import { fileURLToPath } from 'node:url';
import type { Database } from '@ffgate/db';

/** The PostgreSQL schema the SCIM service owns (tables, outbox and drizzle's migrations table). */
export const SCIM_DB_SCHEMA = 'scim';

/** services/scim/drizzle: SQL migrations generated from schema.ts by drizzle-kit. */
export const scimMigrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Bring a database up to the SCIM service's schema (idempotent, safe with several replicas starting). */
export function migrateScim(database: Pick<Database, 'migrate'>): Promise<void> {
  return database.migrate({ schema: SCIM_DB_SCHEMA, migrationsFolder: scimMigrationsFolder });
}
