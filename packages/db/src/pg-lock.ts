import type pg from 'pg';
import type { AdvisoryLock } from './port.ts';
import { advisoryKey } from './advisory-key.ts';
import { connectSession, type PgSession } from './pg-session.ts';

/** How often the lock session proves it is alive; a failed heartbeat ends it and signals `lost`. */
const HEARTBEAT_MS = 2000;
const HEARTBEAT_TIMEOUT_MS = 5000;

/**
 * Session-level advisory lock on a dedicated connection: the lock is released by PostgreSQL the
 * moment that connection dies, and `lost` tells the holder so it stops acting as leader.
 */
export async function tryPgAdvisoryLock(
  url: string,
  name: string,
  track: (session: PgSession) => () => void,
): Promise<AdvisoryLock | null> {
  const key = advisoryKey(name).toString();
  const session = await connectSession({ url, applicationName: `ffgate-lock:${name}`.slice(0, 63) });
  const untrack = track(session);
  let acquired = false;
  try {
    const res = await session.client.query<{ ok: boolean }>('select pg_try_advisory_lock($1::bigint) as ok', [key]);
    acquired = res.rows[0]?.ok === true;
  } finally {
    if (!acquired) {
      untrack();
      await session.end();
    }
  }
  if (!acquired) return null;

  const heartbeat = setInterval(() => {
    session.client
      .query({ text: 'select 1', query_timeout: HEARTBEAT_TIMEOUT_MS } as pg.QueryConfig)
      .catch(() => session.end());
  }, HEARTBEAT_MS);
  heartbeat.unref();
  const lost = session.ended.then(() => {
    clearInterval(heartbeat);
    untrack();
  });

  let released = false;
  return {
    lost,
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      if (!session.isEnded()) {
        await session.client.query('select pg_advisory_unlock($1::bigint)', [key]).catch(() => undefined);
      }
      await session.end();
      await lost;
    },
  };
}
