export const TokenServiceErrorCodes = [
  'FFGATE_TOKEN_KEK_INVALID',
  'FFGATE_TOKEN_KEY_UNSEAL',
  'FFGATE_TOKEN_NO_SIGNING_KEY',
  'FFGATE_TOKEN_TRUSTED_ISSUERS_INVALID',
] as const;
export type TokenServiceErrorCode = (typeof TokenServiceErrorCodes)[number];

/** Operational errors of the token service (configuration, keys). Protocol errors are OAuthError. */
export class TokenServiceError extends Error {
  readonly code: TokenServiceErrorCode;
  constructor(code: TokenServiceErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TokenServiceError';
    this.code = code;
  }
}

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'unsupported_token_type'
  | 'invalid_token'
  | 'slow_down'
  | 'server_error';

/** An RFC 6749 §5.2 error, mapped to the wire in http/errors.ts. */
export class OAuthError extends Error {
  readonly code: OAuthErrorCode;
  readonly status: number;
  /** seconds, for 429 */
  readonly retryAfter?: number;
  constructor(code: OAuthErrorCode, description: string, options: { status?: number; retryAfter?: number; cause?: unknown } = {}) {
    super(description, { cause: options.cause });
    this.name = 'OAuthError';
    this.code = code;
    this.status = options.status ?? (code === 'invalid_client' ? 401 : code === 'server_error' ? 500 : 400);
    if (options.retryAfter !== undefined) this.retryAfter = options.retryAfter;
  }
}
