import type { Drizzle } from '@ffgate/db';
import type { SQLWrapper } from 'drizzle-orm';
import type { OutboxMessage } from '@ffgate/outbox';

/** A drizzle transaction handle (PostgreSQL or PGlite). */
export type Tx = Parameters<Parameters<Drizzle['transaction']>[0]>[0];

/** Runs queries: the database itself (reads) or a transaction (writes). */
export type Executor = Drizzle | Tx;

/**
 * What a write that issues no queries of its own needs: it collects events into `messages` and
 * row changes whose results it does not read into `deferred`; the store runs them as ONE
 * statement with the outbox insert and its NOTIFY (a user create: BEGIN, one statement, COMMIT).
 */
export interface StatementScope {
  /** builds deferred statements (never awaited directly: they run inside the outbox statement) */
  builder: Pick<Executor, 'insert' | 'update' | 'delete'>;
  /** commit time of this write: last_modified of every row it touches and `time` of its events */
  now: Date;
  actor: string | null;
  messages: OutboxMessage[];
  newEventId: () => string;
  /** data-modifying statements run together with the outbox insert, after `work` returns */
  deferred: DeferredWrite[];
}

export interface DeferredWrite {
  statement: SQLWrapper;
  /** turn this statement's database error into a domain error (e.g. a unique violation → 409) */
  mapError?: (err: unknown) => unknown;
}

/** Everything one write transaction needs; repositories collect events into `messages`. */
export interface WriteScope extends StatementScope {
  tx: Tx;
}
