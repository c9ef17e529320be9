import { Router, type Request, type Response } from 'express';
import type { SigningKeyRing } from '../keys/signing-keys.ts';
import { GRANT_CLIENT_CREDENTIALS, GRANT_TOKEN_EXCHANGE } from './oauth-router.ts';

/** RFC 8414 metadata for an issuer, with endpoints under the issuer URL. */
export function authorizationServerMetadata(issuer: string) {
  const base = issuer.replace(/\/+$/, '');
  const authMethods = ['client_secret_basic', 'client_secret_post'];
  return {
    issuer,
    token_endpoint: `${base}/oauth2/token`,
    jwks_uri: `${base}/.well-known/jwks.json`,
    revocation_endpoint: `${base}/oauth2/revoke`,
    introspection_endpoint: `${base}/oauth2/introspect`,
    grant_types_supported: [GRANT_CLIENT_CREDENTIALS, GRANT_TOKEN_EXCHANGE],
    token_endpoint_auth_methods_supported: authMethods,
    revocation_endpoint_auth_methods_supported: authMethods,
    introspection_endpoint_auth_methods_supported: [...authMethods, 'bearer'],
    token_endpoint_auth_signing_alg_values_supported: ['EdDSA'],
    scopes_supported: ['job', 'scim'],
    // no authorization endpoint: machine-to-machine grants only
    response_types_supported: [],
  };
}

/** `/.well-known/jwks.json` and `/.well-known/oauth-authorization-server`. Mount at `/.well-known`. */
export function buildWellKnownRouter(d: { keys: SigningKeyRing; issuer: string }): Router {
  const router = Router();
  const metadata = authorizationServerMetadata(d.issuer);
  router.get('/jwks.json', (_req: Request, res: Response) => {
    // short cache: verifiers refetch on an unknown kid anyway, and a retired key must drop out on time
    res.set('Cache-Control', 'public, max-age=60').type('application/jwk-set+json').send(JSON.stringify(d.keys.jwks()));
  });
  router.get('/oauth-authorization-server', (_req: Request, res: Response) => {
    res.set('Cache-Control', 'public, max-age=300').json(metadata);
  });
  return router;
}
