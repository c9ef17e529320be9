import type { Drizzle } from '@ffgate/db';
import type { OutboxMessage } from '@ffgate/outbox';

/** A drizzle transaction handle (PostgreSQL or PGlite). */
export type Tx = Parameters<Parameters<Drizzle['transaction']>[0]>[0];

/** Runs queries: the database itself (reads) or a transaction (writes). */
export type Executor = Drizzle | Tx;

/** Everything one write transaction needs; repositories collect events into `messages`. */
export interface WriteScope {
  tx: Tx;
  /** commit time of this write: last_modified of every row it touches and `time` of its events */
  now: Date;
  actor: string | null;
  messages: OutboxMessage[];
  newEventId: () => string;
}
