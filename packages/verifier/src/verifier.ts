import { decodeProtectedHeader, errors, jwtVerify, type JWTHeaderParameters } from 'jose';
import { CREDENTIAL_ALG, DEFAULT_AUDIENCE, JobCredentialClaims, type JobCredential } from './claims.ts';
import { CredentialError } from './errors.ts';
import { keyResolver, type JwksSource } from './key-source.ts';
import type { RemoteJwks } from './remote-jwks.ts';
import type { RevocationView } from './revocations.ts';

export interface VerifierOptions {
  /** expected `iss` (the token service's FFGATE_ISSUER) */
  issuer: string;
  /** `aud` must contain this (default `ffgate`) */
  audience?: string;
  jwks: JwksSource;
  /** clock skew allowed on exp / nbf / iat, in seconds (default 5) */
  clockToleranceSec?: number;
  revocations?: RevocationView;
  /** with `revocations`: refuse every credential when the feed has been silent this long (fail closed) */
  maxRevocationStalenessMs?: number;
  fetchImpl?: typeof fetch;
  /** epoch ms; injectable for tests */
  now?: () => number;
}

export interface Verifier {
  /** the claims of a valid credential, or a CredentialError saying why not */
  verify(token: string): Promise<JobCredential>;
  /** the remote key cache when `jwks.url` is used (fetch count, for metrics and tests) */
  readonly remoteJwks?: RemoteJwks;
}

const MAX_TOKEN_LENGTH = 16 * 1024;
const PRUNE_EVERY_MS = 60_000;

export function createVerifier(options: VerifierOptions): Verifier {
  const audience = options.audience ?? DEFAULT_AUDIENCE;
  const tolerance = options.clockToleranceSec ?? 5;
  const now = options.now ?? Date.now;
  const resolveKey = keyResolver(options.jwks, { fetchImpl: options.fetchImpl, now });
  const revocations = options.revocations;
  let lastPrune = now();

  async function verify(token: string): Promise<JobCredential> {
    const header = checkHeader(token);
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, (h: JWTHeaderParameters) => resolveKey(h), {
        algorithms: [CREDENTIAL_ALG],
        issuer: options.issuer,
        audience,
        clockTolerance: tolerance,
        currentDate: new Date(now()),
      }));
    } catch (err) {
      throw toCredentialError(err, header);
    }

    const parsed = JobCredentialClaims.safeParse(payload);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(claims)'}: ${i.message}`).join('; ');
      throw new CredentialError('FFGATE_CRED_CLAIMS', `credential claims invalid: ${detail}`, { cause: parsed.error });
    }
    const claims = parsed.data;
    if (claims.iat > now() / 1000 + tolerance) throw new CredentialError('FFGATE_CRED_NOT_YET_VALID', 'credential issued in the future');

    if (revocations) {
      checkFeedFresh();
      if (now() - lastPrune > PRUNE_EVERY_MS) {
        lastPrune = now();
        revocations.prune(lastPrune);
      }
      if (revocations.isRevoked(claims)) throw new CredentialError('FFGATE_CRED_REVOKED', 'credential has been revoked');
    }
    return claims;
  }

  function checkFeedFresh(): void {
    const limit = options.maxRevocationStalenessMs;
    if (limit === undefined || !revocations) return;
    const last = revocations.lastFeedActivity;
    if (last === undefined || now() - last > limit) {
      throw new CredentialError('FFGATE_CRED_REVOCATIONS_STALE', 'revocation feed is stale; refusing credentials until it recovers');
    }
  }

  return { verify, remoteJwks: resolveKey.remote };
}

/**
 * Cheap checks before any key lookup: a token with a foreign algorithm (`none`, HS256 keyed with
 * our public key) or without a kid must never cause a JWKS fetch.
 */
function checkHeader(token: string): JWTHeaderParameters {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || token.split('.').length !== 3) {
    throw new CredentialError('FFGATE_CRED_MALFORMED', 'not a compact JWS');
  }
  let header: JWTHeaderParameters;
  try {
    header = decodeProtectedHeader(token) as JWTHeaderParameters;
  } catch (cause) {
    throw new CredentialError('FFGATE_CRED_MALFORMED', 'unreadable JWS header', { cause });
  }
  if (header.alg !== CREDENTIAL_ALG) throw new CredentialError('FFGATE_CRED_ALG', `algorithm ${JSON.stringify(header.alg)} is not accepted`);
  if (typeof header.kid !== 'string' || header.kid === '') throw new CredentialError('FFGATE_CRED_MALFORMED', 'JWS header has no kid');
  return header;
}

function toCredentialError(err: unknown, header: JWTHeaderParameters): Error {
  if (err instanceof CredentialError) return err;
  const opts = { cause: err };
  if (err instanceof errors.JWSSignatureVerificationFailed) return new CredentialError('FFGATE_CRED_SIGNATURE', 'signature does not verify', opts);
  if (err instanceof errors.JOSEAlgNotAllowed) return new CredentialError('FFGATE_CRED_ALG', 'algorithm not accepted', opts);
  if (err instanceof errors.JWTExpired) return new CredentialError('FFGATE_CRED_EXPIRED', 'credential has expired', opts);
  if (err instanceof errors.JWTClaimValidationFailed) {
    const failed = err.reason === 'check_failed';
    if (err.claim === 'nbf' && failed) return new CredentialError('FFGATE_CRED_NOT_YET_VALID', 'credential not valid yet', opts);
    if (err.claim === 'iss' && failed) return new CredentialError('FFGATE_CRED_ISSUER', 'credential from another issuer', opts);
    if (err.claim === 'aud' && failed) return new CredentialError('FFGATE_CRED_AUDIENCE', 'credential for another audience', opts);
    return new CredentialError('FFGATE_CRED_CLAIMS', `claim ${err.claim}: ${err.message}`, opts);
  }
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    return new CredentialError('FFGATE_CRED_UNKNOWN_KEY', `no single usable key with kid "${header.kid}"`, opts);
  }
  if (err instanceof errors.JOSEError) return new CredentialError('FFGATE_CRED_MALFORMED', `credential rejected: ${err.message}`, opts);
  return err instanceof Error ? err : new Error(String(err));
}
