import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate as drizzleMigrate } from 'drizzle-orm/node-postgres/migrator';
import type { Database, Drizzle, OpenDatabaseOptions } from './port.ts';
import { advisoryKey } from './advisory-key.ts';
import { DatabaseError } from './errors.ts';
import { connectSession, type PgSession } from './pg-session.ts';
import { tryPgAdvisoryLock } from './pg-lock.ts';
import { listenPg } from './pg-listen.ts';

/** PostgreSQL through a node-postgres pool; locks and LISTEN use dedicated sessions. */
export async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<Database> {
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: connectTimeoutMs,
    application_name: 'ffgate',
  });
  // an idle pooled client whose backend dies emits 'error' on the pool; the pool drops it and the
  // next query opens a fresh one. Without this listener the process would crash.
  pool.on('error', () => undefined);
  const db = drizzle({ client: pool }) as unknown as Drizzle;

  // every dedicated session, so close() can end them all
  const sessions = new Set<PgSession>();
  const track = (s: PgSession) => {
    sessions.add(s);
    return () => void sessions.delete(s);
  };
  const stoppers = new Set<() => Promise<void>>();
  let closed = false;
  const assertOpen = () => {
    if (closed) throw new DatabaseError('FFGATE_DB_CLOSED', 'database is closed');
  };

  return {
    kind: 'postgres',
    db,
    async migrate({ schema, migrationsFolder }) {
      assertOpen();
      let session: PgSession | undefined;
      try {
        session = await connectSession({ url, applicationName: `ffgate-migrate:${schema}`.slice(0, 63), connectTimeoutMs });
        // replicas starting together queue here; the lock dies with the session if we crash
        await session.client.query('select pg_advisory_lock($1::bigint)', [advisoryKey(`ffgate:migrate:${schema}`).toString()]);
        await drizzleMigrate(drizzle({ client: session.client }), { migrationsFolder, migrationsSchema: schema });
      } catch (err) {
        throw new DatabaseError('FFGATE_DB_MIGRATION_FAILED', `migrations for schema "${schema}" failed`, { cause: err });
      } finally {
        await session?.end(); // ending the session releases the advisory lock
      }
    },
    async tryAdvisoryLock(name) {
      assertOpen();
      return tryPgAdvisoryLock(url, name, track);
    },
    async listen(channel, onNotify, listenOptions = {}) {
      assertOpen();
      const stop = await listenPg(url, channel, onNotify, listenOptions, track);
      const wrapped = async () => {
        stoppers.delete(wrapped);
        await stop();
      };
      stoppers.add(wrapped);
      return wrapped;
    },
    async ping() {
      assertOpen();
      try {
        await pool.query('select 1');
      } catch (err) {
        throw new DatabaseError('FFGATE_DB_UNREACHABLE', 'database is unreachable', { cause: err });
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...stoppers].map((stop) => stop()));
      await Promise.all([...sessions].map((s) => s.end()));
      await pool.end();
    },
  };
}
