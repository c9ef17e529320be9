import type { Drizzle } from '@ffgate/db';

/** A drizzle transaction of the service's database. */
export type Tx = Parameters<Parameters<Drizzle['transaction']>[0]>[0];
/** Either the database or a transaction: reads and single writes take both. */
export type Executor = Drizzle | Tx;
