import { openDatabase } from '@ffgate/db';
import { startE2E, type E2E } from './harness.ts';

/**
 * One throwaway SCIM service (PGlite, in-process bus, relay running) for a single test: used by
 * the leniency unit suites for the few IdP rows that only the whole stack can prove.
 */
export async function withScimService<T>(fn: (e: E2E) => Promise<T>): Promise<T> {
  const database = await openDatabase();
  try {
    const e = await startE2E(database);
    try {
      return await fn(e);
    } finally {
      await e.close();
    }
  } finally {
    await database.close();
  }
}
