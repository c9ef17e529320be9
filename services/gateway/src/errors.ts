/**
 * Gateway errors with stable codes, mapped to HTTP problem responses in one place (http/problem.ts).
 * Details are shown to the caller only below 500.
 */
export type GatewayErrorCode =
  | 'FFGATE_GW_UNAUTHENTICATED'
  | 'FFGATE_GW_CREDENTIAL_INVALID'
  | 'FFGATE_GW_VERIFIER_UNAVAILABLE'
  | 'FFGATE_GW_FORBIDDEN'
  | 'FFGATE_GW_NOT_FOUND'
  | 'FFGATE_GW_BAD_REQUEST'
  | 'FFGATE_GW_QUEUE_FULL'
  | 'FFGATE_GW_CONFLICT'
  | 'FFGATE_GW_NOT_READY'
  | 'FFGATE_GW_INTERNAL';

export class GatewayError extends Error {
  readonly code: GatewayErrorCode;
  readonly status: number;
  /** seconds, for 429 / 503 */
  readonly retryAfter?: number;
  constructor(code: GatewayErrorCode, status: number, message: string, options?: { cause?: unknown; retryAfter?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = status;
    this.retryAfter = options?.retryAfter;
  }
}
