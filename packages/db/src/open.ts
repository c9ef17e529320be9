import type { Database, OpenDatabaseOptions } from './port.ts';
import { openPostgres } from './postgres.ts';
import { openPglite } from './pglite.ts';

/**
 * PostgreSQL when `url` is given, else embedded PGlite (in `dataDir`, or in memory).
 * PostgreSQL connects lazily: opening succeeds while the server is down; `ping()` and queries
 * fail (after `connectTimeoutMs`) until it is back.
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  return options.url ? openPostgres(options.url, options) : openPglite(options);
}
