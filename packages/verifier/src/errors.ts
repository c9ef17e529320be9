/**
 * Why a job credential was refused. Codes are stable: the gateway maps them to HTTP (401 for
 * every credential problem, 503 for KEYS_UNAVAILABLE / REVOCATIONS_STALE) in one place.
 */
export const CredentialErrorCodes = [
  'FFGATE_CRED_MALFORMED',
  'FFGATE_CRED_SIGNATURE',
  'FFGATE_CRED_ALG',
  'FFGATE_CRED_EXPIRED',
  'FFGATE_CRED_NOT_YET_VALID',
  'FFGATE_CRED_ISSUER',
  'FFGATE_CRED_AUDIENCE',
  'FFGATE_CRED_UNKNOWN_KEY',
  'FFGATE_CRED_REVOKED',
  'FFGATE_CRED_CLAIMS',
  /** the JWKS could not be fetched and no copy is cached: the verifier's problem, not the token's */
  'FFGATE_CRED_KEYS_UNAVAILABLE',
  /** the revocation feed has been silent longer than allowed: fail closed */
  'FFGATE_CRED_REVOCATIONS_STALE',
] as const;
export type CredentialErrorCode = (typeof CredentialErrorCodes)[number];

export class CredentialError extends Error {
  readonly code: CredentialErrorCode;
  constructor(code: CredentialErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CredentialError';
    this.code = code;
  }
}
