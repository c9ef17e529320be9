/**
 * Errors raised while planning a SCIM list query. Each carries a stable `code`, the SCIM `scimType`
 * the HTTP layer puts in the 400 error body, and a `message` written to be returned as SCIM `detail`
 * (it names the offending attribute or token, never SQL or internals).
 */
export type QueryErrorCode = 'FFGATE_SCIM_INVALID_FILTER' | 'FFGATE_SCIM_INVALID_SORT';

export abstract class QueryError extends Error {
  abstract readonly code: QueryErrorCode;
  abstract readonly scimType: 'invalidFilter' | 'invalidValue';
  readonly status = 400;
}

/** Malformed filter, unknown attribute, or an operator that makes no sense for the attribute's type. */
export class InvalidFilterError extends QueryError {
  readonly code = 'FFGATE_SCIM_INVALID_FILTER';
  readonly scimType = 'invalidFilter';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidFilterError';
  }
}

/** Unknown or unsortable `sortBy`, or a `sortOrder` other than ascending/descending. */
export class InvalidSortError extends QueryError {
  readonly code = 'FFGATE_SCIM_INVALID_SORT';
  readonly scimType = 'invalidValue';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidSortError';
  }
}
