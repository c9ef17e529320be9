import { fileURLToPath } from 'node:url';
import type { Database } from '@ffgate/db';

/** The PostgreSQL schema the token service owns (tables, outbox and drizzle's migrations table). */
export const TOKEN_DB_SCHEMA = 'token';

/** services/token/drizzle: SQL migrations generated from schema.ts by drizzle-kit. */
export const tokenMigrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Bring a database up to the token service's schema (idempotent, safe with replicas starting together). */
export function migrateToken(database: Pick<Database, 'migrate'>): Promise<void> {
  return database.migrate({ schema: TOKEN_DB_SCHEMA, migrationsFolder: tokenMigrationsFolder });
}
