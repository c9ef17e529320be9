import { errors, jwtVerify, type JWTHeaderParameters, type JWTVerifyGetKey } from 'jose';
import { SCIM_AUDIENCE, SCIM_SCOPE } from '@ffgate/contracts';
import { CredentialError, RemoteJwks, type RemoteJwksOptions } from '@ffgate/verifier';
import type { AccessTokenVerifier } from './verifier.ts';

export { SCIM_AUDIENCE, SCIM_SCOPE };
const ALGORITHMS = ['EdDSA'];

export interface JwksScimTokenVerifierOptions {
  /** base URL of the token service; its keys are at `<tokenUrl>/.well-known/jwks.json` */
  tokenUrl: string;
  /** expected `iss` (the token service's issuer) */
  issuer: string;
  /** key source override (tests: jose's `createLocalJWKSet`) */
  keys?: JWTVerifyGetKey;
  /** tuning of the remote key cache (refetch interval, clock) */
  cache?: Omit<RemoteJwksOptions, 'url'>;
}

/**
 * SCIM access tokens checked offline against the token service's JWKS, for a SCIM service that
 * runs apart from the token service: EdDSA signature, issuer, audience `ffgate-scim`, expiry and
 * scope `scim`. The connection is the token's `client_id` (also its `sub`), which becomes the
 * actor of the writes. Revocation before expiry needs the token service's introspection (the
 * all-in-one wires `verifyScimAccessToken`, which checks it); here tokens live until `exp`.
 */
export function createJwksScimTokenVerifier(options: JwksScimTokenVerifierOptions): AccessTokenVerifier {
  // The verifier package's key cache, not jose's remote set: it refetches at once on an unknown kid
  // (rate-limited), so tokens signed by a freshly rotated key are not refused for jose's 30 s cooldown.
  const remote = options.keys ? undefined : new RemoteJwks({ ...options.cache, url: `${options.tokenUrl.replace(/\/+$/, '')}/.well-known/jwks.json` });
  const keys: JWTVerifyGetKey = options.keys ?? ((header: JWTHeaderParameters) => remote!.getKey(header));
  return async (token) => {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, { issuer: options.issuer, audience: SCIM_AUDIENCE, algorithms: ALGORITHMS }));
    } catch (error) {
      // a JWKS we cannot fetch is an outage (→ 503 upstream); any other failure: not authenticated
      if (error instanceof CredentialError && error.code === 'FFGATE_CRED_KEYS_UNAVAILABLE') throw error;
      if (error instanceof CredentialError || error instanceof errors.JOSEError) return null;
      throw error;
    }
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    if (!scopes.includes(SCIM_SCOPE)) return null;
    const client = typeof payload.client_id === 'string' ? payload.client_id : payload.sub;
    if (typeof client !== 'string' || client === '') return null;
    return { id: client, name: client };
  };
}
