/**
 * The IdentityStore's errors. Each carries a stable `code`; the HTTP layer maps them to SCIM error
 * responses in one place (uniqueness → 409, invalid value → 400, precondition → 412,
 * not found → 404, store unavailable → 503).
 */
export type IdentityStoreErrorCode =
  | 'FFGATE_SCIM_UNIQUENESS'
  | 'FFGATE_SCIM_INVALID_VALUE'
  | 'FFGATE_SCIM_PRECONDITION_FAILED'
  | 'FFGATE_SCIM_NOT_FOUND'
  | 'FFGATE_STORE_UNAVAILABLE';

export abstract class IdentityStoreError extends Error {
  abstract readonly code: IdentityStoreErrorCode;
}

/** A unique attribute (userName, group displayName) is already taken, compared case-insensitively. */
export class UniquenessError extends IdentityStoreError {
  readonly code = 'FFGATE_SCIM_UNIQUENESS';
  readonly attribute: string;
  constructor(attribute: string, value: string, options?: { cause?: unknown }) {
    super(`${attribute} "${value}" is already in use`, options);
    this.name = 'UniquenessError';
    this.attribute = attribute;
  }
}

/** The resource is not acceptable (missing required attribute, unknown or nested group member, ...). */
export class InvalidValueError extends IdentityStoreError {
  readonly code = 'FFGATE_SCIM_INVALID_VALUE';
  constructor(detail: string, options?: { cause?: unknown }) {
    super(detail, options);
    this.name = 'InvalidValueError';
  }
}

/** If-Match failed: the resource changed since the client read it. */
export class PreconditionFailedError extends IdentityStoreError {
  readonly code = 'FFGATE_SCIM_PRECONDITION_FAILED';
  readonly expectedVersion: number;
  readonly actualVersion: number;
  constructor(expectedVersion: number, actualVersion: number) {
    super(`resource is at version ${actualVersion}, not ${expectedVersion}`);
    this.name = 'PreconditionFailedError';
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}

export class NotFoundError extends IdentityStoreError {
  readonly code = 'FFGATE_SCIM_NOT_FOUND';
  readonly resourceType: string;
  readonly id: string;
  constructor(resourceType: string, id: string) {
    super(`${resourceType} ${id} not found`);
    this.name = 'NotFoundError';
    this.resourceType = resourceType;
    this.id = id;
  }
}

/**
 * The database failed (unreachable, pool exhausted, deadlock retries used up, ...). Never reported
 * as "not found": an IdP that sees 404 for an existing user creates a duplicate.
 */
export class StoreUnavailableError extends IdentityStoreError {
  readonly code = 'FFGATE_STORE_UNAVAILABLE';
  constructor(operation: string, cause: unknown) {
    super(`identity store unavailable during ${operation}`, { cause });
    this.name = 'StoreUnavailableError';
  }
}
