import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type ErrorRequestHandler, type RequestHandler, type Response } from 'express';
import {
  assertConnectionName,
  ConnectionNameTakenError,
  InvalidConnectionNameError,
  type ConnectionsRepository,
} from '../auth/connections.ts';
import { bearerToken } from '../auth/tokens.ts';
import { consoleLogger, type ScimLogger } from '../http/logger.ts';

export interface AdminRouterDeps {
  connections: ConnectionsRepository;
  /** FFGATE_ADMIN_TOKEN; when absent every admin route answers 503 */
  adminToken?: string;
  logger?: ScimLogger;
}

/** Admin errors are plain JSON `{ error, message }` (this is not a SCIM endpoint). */
function sendError(res: Response, status: number, error: string, message: string): void {
  res.status(status).json({ error, message });
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Constant-time admin token check: compare fixed-length digests, never the raw strings. */
function requireAdmin(adminToken: string | undefined): RequestHandler {
  const expected = adminToken ? digest(adminToken) : undefined;
  return (req, res, next) => {
    if (!expected) {
      const error = 'admin API disabled: set FFGATE_ADMIN_TOKEN';
      sendError(res, 503, error, error);
      return;
    }
    const token = bearerToken(req.get('authorization'));
    if (!token || !timingSafeEqual(digest(token), expected)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="ffgate-admin"');
      sendError(res, 401, 'unauthorized', 'A valid admin bearer token is required.');
      return;
    }
    next();
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * `/admin/v1`: manage IdP connections (named SCIM bearer tokens).
 * POST /scim-connections {name} → 201 {id, name, token, createdAt} (the token is shown once),
 * GET /scim-connections → list without tokens, DELETE /scim-connections/:id → revoke.
 */
export function buildAdminRouter(deps: AdminRouterDeps): Router {
  const { connections } = deps;
  const logger = deps.logger ?? consoleLogger;
  const router = Router();
  router.use(requireAdmin(deps.adminToken));
  router.use(express.json({ limit: '16kb' }));

  router.post('/scim-connections', async (req, res) => {
    const name = (req.body as { name?: unknown } | undefined)?.name;
    assertConnectionName(name);
    const created = await connections.create(name);
    res.status(201).json({ id: created.id, name: created.name, token: created.token, createdAt: created.createdAt.toISOString() });
  });

  router.get('/scim-connections', async (_req, res) => {
    const rows = await connections.list();
    res.json({
      connections: rows.map((c) => ({
        id: c.id,
        name: c.name,
        createdAt: iso(c.createdAt),
        lastUsedAt: iso(c.lastUsedAt),
        revokedAt: iso(c.revokedAt),
      })),
    });
  });

  router.delete('/scim-connections/:id', async (req, res) => {
    if (!(await connections.revoke(req.params.id))) {
      sendError(res, 404, 'not_found', `no connection with id '${req.params.id}'`);
      return;
    }
    res.status(204).end();
  });

  router.use((_req, res) => sendError(res, 404, 'not_found', 'No such admin endpoint.'));

  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    if (error instanceof InvalidConnectionNameError) return sendError(res, 400, 'invalid_name', error.message);
    if (error instanceof ConnectionNameTakenError) return sendError(res, 409, 'name_taken', error.message);
    const type = (error as { type?: unknown }).type;
    if (type === 'entity.parse.failed') return sendError(res, 400, 'invalid_json', 'Request body is not valid JSON.');
    if (type === 'entity.too.large') return sendError(res, 413, 'too_large', 'Request body is too large.');
    logger.error({ err: error }, 'admin request failed');
    return sendError(res, 500, 'internal', 'Internal server error.');
  };
  router.use(onError);
  return router;
}
