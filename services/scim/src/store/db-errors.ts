/**
 * Reading PostgreSQL errors through drizzle's wrapping (DrizzleQueryError keeps the driver's
 * error as `cause`). node-postgres and PGlite both expose SQLSTATE as `code` and the violated
 * constraint as `constraint`.
 */
interface PgErrorFields {
  code: string;
  constraint?: string;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

export function pgErrorOf(err: unknown): PgErrorFields | undefined {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && SQLSTATE.test(code)) return e as PgErrorFields;
  }
  return undefined;
}

/** unique_violation of the named constraint or unique index */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  const pg = pgErrorOf(err);
  return pg?.code === '23505' && pg.constraint === constraint;
}

/** deadlock_detected / serialization_failure: the transaction did nothing and may simply run again */
export function isRetryableConflict(err: unknown): boolean {
  const code = pgErrorOf(err)?.code;
  return code === '40P01' || code === '40001';
}
