import { z } from 'zod';

/** The only signing algorithm the system uses (jose treats `Ed25519` as a different name: never mix them). */
export const CREDENTIAL_ALG = 'EdDSA';
export const DEFAULT_AUDIENCE = 'ffgate';

const NumericDate = z.int().nonnegative();

/**
 * Claims of a job credential, checked after the signature (jose already checked iss, aud, exp, nbf).
 * Unknown extra claims are allowed: the token service may add some without breaking old verifiers.
 */
export const JobCredentialClaims = z.looseObject({
  iss: z.string().min(1),
  /** SCIM user id the jobs run on behalf of */
  sub: z.string().min(1),
  aud: z.union([z.string(), z.array(z.string())]),
  iat: NumericDate,
  exp: NumericDate,
  nbf: NumericDate.optional(),
  jti: z.string().min(1),
  client_id: z.string().min(1),
  profiles: z.array(z.string()),
  queues: z.array(z.string()),
});
export type JobCredential = z.infer<typeof JobCredentialClaims>;
