import pg from 'pg';

/**
 * A dedicated PostgreSQL session (its own `pg.Client`, never from the pool): used where the session
 * itself carries state — an advisory lock, a LISTEN — so that state lives and dies with this
 * connection only.
 */
export interface PgSession {
  readonly client: pg.Client;
  /** resolves (never rejects) once the connection is gone, with the error that ended it if any */
  readonly ended: Promise<Error | undefined>;
  readonly isEnded: () => boolean;
  /** close the connection (idempotent) */
  end(): Promise<void>;
}

export interface PgSessionOptions {
  url: string;
  applicationName: string;
  connectTimeoutMs?: number;
}

export async function connectSession(options: PgSessionOptions): Promise<PgSession> {
  const client = new pg.Client({
    connectionString: options.url,
    application_name: options.applicationName,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    // detect dead peers on idle sessions (a lock holder must notice a half-open connection)
    keepAlive: true,
    keepAliveInitialDelayMillis: 5000,
  });
  let ended = false;
  let settle!: (err: Error | undefined) => void;
  const endedPromise = new Promise<Error | undefined>((resolve) => (settle = resolve));
  const finish = (err?: Error) => {
    if (ended) return;
    ended = true;
    settle(err);
  };
  // an idle client whose backend dies emits 'error' then 'end'; without a listener 'error' would crash the process
  client.on('error', (err) => {
    finish(err);
    client.end().catch(() => undefined);
  });
  client.on('end', () => finish());
  try {
    await client.connect();
  } catch (err) {
    finish(err as Error);
    await client.end().catch(() => undefined);
    throw err;
  }
  return {
    client,
    ended: endedPromise,
    isEnded: () => ended,
    async end() {
      if (!ended) await client.end().catch(() => undefined);
      finish();
    },
  };
}
