import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate as drizzleMigrate } from 'drizzle-orm/pglite/migrator';
import type { AdvisoryLock, Database, Drizzle, OpenDatabaseOptions } from './port.ts';
import { DatabaseError } from './errors.ts';
import { createMutex } from './mutex.ts';

/**
 * Embedded PGlite (one process, one session). Advisory locks are an in-process map: PGlite has a
 * single session, on which PostgreSQL advisory locks would be re-entrant and never contended.
 * LISTEN/NOTIFY is PGlite's own and, like PostgreSQL, delivers after commit.
 */
export async function openPglite(options: OpenDatabaseOptions): Promise<Database> {
  if (options.dataDir) await ensureDataDir(options.dataDir);
  const client = options.dataDir ? await PGlite.create(options.dataDir) : await PGlite.create();
  const db = drizzle({ client }) as unknown as Drizzle;
  const migrations = createMutex();
  const locks = new Map<string, () => void>();
  const unlisteners = new Set<() => Promise<void>>();
  let closed = false;
  const assertOpen = () => {
    if (closed) throw new DatabaseError('FFGATE_DB_CLOSED', 'database is closed');
  };

  return {
    kind: 'pglite',
    db,
    async migrate({ schema, migrationsFolder }) {
      assertOpen();
      await migrations(async () => {
        try {
          await drizzleMigrate(drizzle({ client }), { migrationsFolder, migrationsSchema: schema });
        } catch (err) {
          throw new DatabaseError('FFGATE_DB_MIGRATION_FAILED', `migrations for schema "${schema}" failed`, { cause: err });
        }
      });
    },
    async tryAdvisoryLock(name): Promise<AdvisoryLock | null> {
      assertOpen();
      if (locks.has(name)) return null;
      let markLost!: () => void;
      const lost = new Promise<void>((resolve) => (markLost = resolve));
      const drop = () => {
        if (locks.get(name) === drop) locks.delete(name);
        markLost();
      };
      locks.set(name, drop);
      return {
        lost,
        async release() {
          drop();
        },
      };
    },
    async listen(channel, onNotify) {
      assertOpen();
      const unlisten = await client.listen(channel, onNotify);
      const wrapped = async () => {
        if (!unlisteners.delete(wrapped)) return;
        if (!client.closed) await unlisten();
      };
      unlisteners.add(wrapped);
      return wrapped;
    },
    async ping() {
      assertOpen();
      await client.query('select 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...unlisteners].map((u) => u().catch(() => undefined)));
      for (const drop of [...locks.values()]) drop();
      await client.close();
    },
  };
}

/**
 * PGlite creates only the last level of its data directory (ENOENT when a parent is missing), so a
 * fresh `FFGATE_DATA_DIR/token-db` would fail on first start. Create the whole path (mkdir -p).
 * Other PGlite targets (`memory://`, `idb://`, `opfs-ahp://`) are not directories and are left alone.
 */
async function ensureDataDir(dataDir: string): Promise<void> {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(dataDir)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'file') return;
  // as PGlite reads it: `file://` is stripped, the rest is a path
  const path = scheme === 'file' ? dataDir.slice('file://'.length) : dataDir;
  if (path === '') return;
  try {
    await mkdir(path, { recursive: true });
  } catch (err) {
    throw new DatabaseError('FFGATE_DB_UNREACHABLE', `cannot create the PGlite data directory ${path}`, { cause: err });
  }
}
