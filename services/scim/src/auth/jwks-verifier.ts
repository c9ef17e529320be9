import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { AccessTokenVerifier } from './verifier.ts';

/** What the token service mints for IdP connection clients (services/token credentials/issue.ts). */
export const SCIM_AUDIENCE = 'ffgate-scim';
export const SCIM_SCOPE = 'scim';
const ALGORITHMS = ['EdDSA'];

export interface JwksScimTokenVerifierOptions {
  /** base URL of the token service; its keys are at `<tokenUrl>/.well-known/jwks.json` */
  tokenUrl: string;
  /** expected `iss` (the token service's issuer) */
  issuer: string;
  /** key source override (tests: jose's `createLocalJWKSet`) */
  keys?: JWTVerifyGetKey;
}

/**
 * SCIM access tokens checked offline against the token service's JWKS, for a SCIM service that
 * runs apart from the token service: EdDSA signature, issuer, audience `ffgate-scim`, expiry and
 * scope `scim`. The connection is the token's `client_id` (also its `sub`), which becomes the
 * actor of the writes. Revocation before expiry needs the token service's introspection (the
 * all-in-one wires `verifyScimAccessToken`, which checks it); here tokens live until `exp`.
 */
export function createJwksScimTokenVerifier(options: JwksScimTokenVerifierOptions): AccessTokenVerifier {
  const keys = options.keys ?? createRemoteJWKSet(new URL(`${options.tokenUrl.replace(/\/+$/, '')}/.well-known/jwks.json`));
  return async (token) => {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, { issuer: options.issuer, audience: SCIM_AUDIENCE, algorithms: ALGORITHMS }));
    } catch (error) {
      // a bad token is "not authenticated"; a JWKS we cannot fetch is an outage (→ 503 upstream)
      if (error instanceof errors.JOSEError && !(error instanceof errors.JWKSTimeout) && error.code !== 'ERR_JOSE_GENERIC') return null;
      throw error;
    }
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    if (!scopes.includes(SCIM_SCOPE)) return null;
    const client = typeof payload.client_id === 'string' ? payload.client_id : payload.sub;
    if (typeof client !== 'string' || client === '') return null;
    return { id: client, name: client };
  };
}
