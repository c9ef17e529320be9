import { Router } from 'express';
import type { IdentityStore } from '../store/port.ts';
import type { ConnectionsRepository } from '../auth/connections.ts';
import { requireConnection } from '../auth/middleware.ts';
import { createTokenVerifier } from '../auth/verifier.ts';
import { configureScimmy, scimError } from '../scimmy/index.ts';
import { parseJsonBody, requireJsonBody, DEFAULT_BODY_LIMIT } from './body.ts';
import { rememberBaseUrl, scimBaseOf } from './context.ts';
import { discoveryRoutes } from './discovery-routes.ts';
import { scimErrorHandler } from './errors.ts';
import { strictRequests, type Leniency } from './leniency-hook.ts';
import { consoleLogger, type ScimLogger } from './logger.ts';
import { resourceRoutes } from './resource-routes.ts';
import { bulkRoutes, parseBulkBody } from './bulk/route.ts';
import { searchAll, searchRequestQuery } from './search.ts';
import { listResponse, sendScim } from './send.ts';
import type { AccessTokenVerifier } from '../auth/verifier.ts';

export interface ScimRouterConfig {
  /** FFGATE_SCIM_TOKEN: an extra accepted token, recorded as connection `env` */
  scimToken?: string;
  /** public base URL of the SCIM API (e.g. https://id.example.com/scim/v2); default: from each request */
  baseUrl?: string;
  /** largest accepted request body (default 1 MB) */
  bodyLimit?: string | number;
}

export interface ScimRouterDeps {
  store: IdentityStore;
  connections: ConnectionsRepository;
  config?: ScimRouterConfig;
  logger?: ScimLogger;
  /** IdP leniency (`src/leniency`); default: strict RFC handling — see ./leniency-hook.ts */
  leniency?: Leniency;
  /**
   * OAuth access tokens (scope `scim`) from the token service, tried for bearer tokens that are not
   * `ffscim_` connection tokens; the returned `name` becomes the actor. See `createJwksScimTokenVerifier`.
   */
  accessTokenVerifier?: AccessTokenVerifier;
}

/**
 * The SCIM 2.0 API, mounted by the composition root at `/scim/v2`. Pipeline per request:
 * authenticate (connection token, env token or OAuth access token) → require a JSON body on writes
 * → parse JSON (/Bulk with its advertised maxPayloadSize) → route → one error mapper.
 */
export function buildScimRouter(deps: ScimRouterDeps): Router {
  configureScimmy();
  const config = deps.config ?? {};
  const logger = deps.logger ?? consoleLogger;
  const verifier = createTokenVerifier({
    connections: deps.connections,
    ...(config.scimToken ? { scimToken: config.scimToken } : {}),
    onTouchError: (error) => logger.warn({ err: error }, 'could not record connection last_used_at'),
    ...(deps.accessTokenVerifier ? { accessTokenVerifier: deps.accessTokenVerifier } : {}),
  });

  const router = Router();
  router.use(rememberBaseUrl(config.baseUrl));
  router.use(requireConnection(verifier, logger));
  router.use(requireJsonBody());
  // /Bulk has its own advertised maxPayloadSize; every other route keeps the normal body limit
  const parseBody = parseJsonBody(config.bodyLimit ?? DEFAULT_BODY_LIMIT);
  const parseBulk = parseBulkBody();
  router.use((req, res, next) => (/^\/bulk\/?$/i.test(req.path) ? parseBulk(req, res, next) : parseBody(req, res, next)));

  const routeDeps = { store: deps.store, leniency: deps.leniency ?? strictRequests };
  router.use('/Users', resourceRoutes('User', routeDeps));
  router.use('/Groups', resourceRoutes('Group', routeDeps));
  router.use(discoveryRoutes());

  // No IdP connection maps to a user, so there is no "me".
  router.all('/Me', () => {
    throw scimError(501, null, '/Me is not supported: SCIM clients here are IdP connections, not users.');
  });
  router.use('/Bulk', bulkRoutes({ ...routeDeps, logger }));
  // POST /.search at the root (RFC 7644 §3.4.3): users and groups in one ListResponse
  router.post('/.search', async (req, res) => {
    const page = await searchAll(routeDeps, searchRequestQuery(req.body), scimBaseOf(res));
    sendScim(res, 200, listResponse(page.resources, page.totalResults, page.startIndex));
  });
  router.use(() => {
    throw scimError(404, null, 'No such SCIM endpoint.');
  });
  router.use(scimErrorHandler(logger));
  return router;
}
