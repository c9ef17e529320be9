import { fileURLToPath } from 'node:url';
import type { Database } from '@ffgate/db';

/** The PostgreSQL schema the gateway owns (tables, outbox and drizzle's migrations table). */
export const GATEWAY_DB_SCHEMA = 'gateway';

/** services/gateway/drizzle: SQL migrations generated from schema.ts by drizzle-kit. */
export const gatewayMigrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Bring a database up to the gateway's schema (idempotent, safe with replicas starting together). */
export function migrateGateway(database: Pick<Database, 'migrate'>): Promise<void> {
  return database.migrate({ schema: GATEWAY_DB_SCHEMA, migrationsFolder: gatewayMigrationsFolder });
}
