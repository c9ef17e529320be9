/** Errors raised by @ffgate/db, each with a stable code. */
export type DatabaseErrorCode =
  | 'FFGATE_DB_CLOSED'
  | 'FFGATE_DB_MIGRATION_FAILED'
  | 'FFGATE_DB_UNREACHABLE'
  | 'FFGATE_DB_LISTEN_FAILED';

export class DatabaseError extends Error {
  readonly code: DatabaseErrorCode;
  constructor(code: DatabaseErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseError';
    this.code = code;
  }
}
