import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/**
 * One database handle for both shapes: PostgreSQL (node-postgres pool) and embedded PGlite.
 * Both run the same drizzle schema and the same SQL migrations.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Drizzle = PgDatabase<PgQueryResultHKT, any>;

export interface AdvisoryLock {
  /** release the lock (idempotent) */
  release(): Promise<void>;
  /** resolves when the lock is no longer held: the session holding it died, it was released, or the database closed */
  readonly lost: Promise<void>;
}

export interface ListenOptions {
  /**
   * called after the LISTEN session was re-established following a connection loss: notifications
   * sent while it was down are gone, so a listener should re-check whatever it waits for
   */
  onReconnect?: () => void;
}

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  readonly db: Drizzle;
  /**
   * Run a service's drizzle migrations into its own schema, under a PostgreSQL advisory lock so
   * several replicas can start at once. The migrations table lives in the service's schema.
   */
  migrate(options: { schema: string; migrationsFolder: string }): Promise<void>;
  /**
   * Try to take a session-level advisory lock on a dedicated session (PostgreSQL: its own client,
   * so the lock dies with that connection). Returns null when another session holds it.
   */
  tryAdvisoryLock(key: string): Promise<AdvisoryLock | null>;
  /**
   * LISTEN on a channel; the callback fires for every NOTIFY (after the notifying transaction
   * commits). PostgreSQL: a dedicated session that reconnects and re-LISTENs after errors (see
   * `ListenOptions.onReconnect`). Resolves once listening; returns the function that stops it.
   */
  listen(channel: string, onNotify: (payload: string) => void, options?: ListenOptions): Promise<() => Promise<void>>;
  /** cheap liveness query for /readyz; rejects when the database is unreachable */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; when absent PGlite is used */
  url?: string;
  /** PGlite data directory; absent → in-memory PGlite */
  dataDir?: string;
  /** pool size for PostgreSQL (default 10) */
  poolSize?: number;
  /** PostgreSQL: how long to wait for a connection before failing (default 5000 ms) */
  connectTimeoutMs?: number;
}
