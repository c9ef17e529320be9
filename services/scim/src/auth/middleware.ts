import type { RequestHandler } from 'express';
import { errorBody, sendScim } from '../http/send.ts';
import type { ScimLogger } from '../http/logger.ts';
import { bearerToken } from './tokens.ts';
import type { TokenVerifier } from './verifier.ts';

const REALM = 'Bearer realm="ffgate-scim"';

/**
 * Bearer authentication for every SCIM route, discovery included (Okta and Entra send their token
 * there too). Failures are SCIM error bodies (Okta shows `detail`) plus `WWW-Authenticate`
 * (RFC 6750 §3). The connection name becomes the `actor` of every write.
 */
export function requireConnection(verifier: TokenVerifier, logger: ScimLogger): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req.get('authorization'));
    if (!token) {
      sendScim(res, 401, errorBody(401, undefined, 'Missing bearer token.'), { 'WWW-Authenticate': REALM });
      return;
    }
    let connection;
    try {
      connection = await verifier.verify(token);
    } catch (error) {
      logger.error({ err: error }, 'SCIM token verification failed');
      sendScim(res, 503, errorBody(503, undefined, 'The service is temporarily unavailable; retry later.'));
      return;
    }
    if (!connection) {
      sendScim(res, 401, errorBody(401, undefined, 'Invalid or revoked bearer token.'), {
        'WWW-Authenticate': `${REALM}, error="invalid_token"`,
      });
      return;
    }
    res.locals.connection = connection;
    next();
  };
}
