import { connectSession, type PgSession } from './pg-session.ts';
import { DatabaseError } from './errors.ts';
import type { ListenOptions } from './port.ts';


const INITIAL_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5000;

/**
 * LISTEN on a dedicated connection that reconnects (with capped exponential backoff) and
 * re-LISTENs after errors. The first LISTEN must succeed: the returned promise rejects otherwise.
 */
export async function listenPg(
  url: string,
  channel: string,
  onNotify: (payload: string) => void,
  options: ListenOptions,
  track: (session: PgSession) => () => void,
): Promise<() => Promise<void>> {
  let stopped = false;
  let session: PgSession | undefined;
  let timer: NodeJS.Timeout | undefined;
  let backoff = INITIAL_BACKOFF_MS;

  const connect = async (): Promise<void> => {
    const s = await connectSession({ url, applicationName: `ffgate-listen:${channel}`.slice(0, 63) });
    const untrack = track(s);
    s.client.on('notification', (msg) => {
      if (msg.channel === channel) onNotify(msg.payload ?? '');
    });
    try {
      await s.client.query(`LISTEN ${s.client.escapeIdentifier(channel)}`);
    } catch (err) {
      untrack();
      await s.end();
      throw err;
    }
    session = s;
    void s.ended.then(() => {
      untrack();
      if (!stopped) schedule();
    });
  };

  const schedule = () => {
    if (stopped || timer) return;
    timer = setTimeout(async () => {
      timer = undefined;
      if (stopped) return;
      try {
        await connect();
        backoff = INITIAL_BACKOFF_MS;
        if (stopped) await session?.end();
        else options.onReconnect?.();
      } catch {
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        schedule();
      }
    }, backoff);
    timer.unref();
  };

  try {
    await connect();
  } catch (err) {
    throw new DatabaseError('FFGATE_DB_LISTEN_FAILED', `could not LISTEN on ${channel}`, { cause: err });
  }

  return async () => {
    if (stopped) return;
    stopped = true;
    if (timer) clearTimeout(timer);
    await session?.end();
  };
}
