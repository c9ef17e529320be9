import express, { type Express } from 'express';
import { buildAdminRouter } from './admin/index.ts';
import { buildScimRouter, type ScimRouterDeps } from './http/index.ts';

export interface ScimAppDeps extends ScimRouterDeps {
  /** FFGATE_ADMIN_TOKEN; absent → the admin API answers 503 */
  adminToken?: string;
}

/**
 * The SCIM service as one Express app: `/scim/v2` (SCIM 2.0 for IdPs) and `/admin/v1`
 * (connection management). `main.ts` builds it and listens; tests call it with `listen(0)`.
 * Each router parses its own JSON bodies so its errors keep its own shape (SCIM vs admin JSON).
 */
export function buildScimApp(deps: ScimAppDeps): Express {
  const app = express();
  // ETags are meta.version, set by the SCIM routes; Express's body-hash ETags would contradict them
  app.set('etag', false);
  app.disable('x-powered-by');
  app.use('/scim/v2', buildScimRouter(deps));
  app.use(
    '/admin/v1',
    buildAdminRouter({
      connections: deps.connections,
      ...(deps.adminToken ? { adminToken: deps.adminToken } : {}),
      ...(deps.logger ? { logger: deps.logger } : {}),
    }),
  );
  return app;
}
