import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Drizzle } from '@ffgate/db';
import { clientView, type ClientsRepository } from '../clients/repository.ts';
import { findUserById, findUserByMapping } from '../store/users.ts';
import type { AdminAuth } from './admin-auth.ts';
import type { HttpLogger } from './errors.ts';

const CreateClient = z.union([
  z.strictObject({ name: z.string().trim().min(1).max(200), userName: z.string().min(1).max(500), scope: z.literal('job').optional() }),
  z.strictObject({ name: z.string().trim().min(1).max(200), userId: z.string().min(1).max(200), scope: z.literal('job').optional() }),
  z.strictObject({ name: z.string().trim().min(1).max(200), scope: z.literal('scim') }),
]);

function send(res: Response, status: number, error: string, description: string): void {
  res.status(status).json({ error, error_description: description });
}

/**
 * `/admin/v1/clients` (mount at `/admin/v1/clients`): create (the secret is shown once), list,
 * show, disable, delete. `Authorization: Bearer FFGATE_ADMIN_TOKEN`; without that key configured
 * the API answers 503.
 */
export function buildAdminClientsRouter(d: { db: Drizzle; clients: ClientsRepository; adminAuth: AdminAuth; logger: HttpLogger; bodyLimit?: string }): Router {
  const router = Router();
  router.use((req, res, next) => {
    if (!d.adminAuth.enabled) return send(res, 503, 'admin_disabled', 'the admin API is disabled (FFGATE_ADMIN_TOKEN is not set)');
    if (!d.adminAuth.isAdmin(req)) {
      res.set('WWW-Authenticate', 'Bearer realm="ffgate-admin"');
      return send(res, 401, 'unauthorized', 'admin bearer token required');
    }
    next();
  });
  router.use(express.json({ limit: d.bodyLimit ?? '16kb' }));

  router.post('/', async (req: Request, res: Response) => {
    if (!req.is('application/json')) return send(res, 415, 'invalid_request', 'the body must be application/json');
    const parsed = CreateClient.safeParse(req.body);
    if (!parsed.success) return send(res, 400, 'invalid_request', 'expected { name, userName | userId } or { name, scope: "scim" }');
    const input = parsed.data;
    let userId: string | null = null;
    if ('userName' in input || 'userId' in input) {
      const user = 'userId' in input ? await findUserById(d.db, input.userId) : await findUserByMapping(d.db, 'userName', input.userName);
      if (!user || user.deleted) return send(res, 422, 'unknown_user', 'no such provisioned user');
      userId = user.id;
    }
    const { client, secret } = await d.clients.create({ name: input.name, userId, scope: input.scope ?? 'job', actor: 'admin' });
    res.status(201).set('Cache-Control', 'no-store').json({ ...clientView(client), client_secret: secret });
  });

  router.get('/', async (_req: Request, res: Response) => {
    res.json({ clients: (await d.clients.list()).map(clientView) });
  });

  router.get('/:id', async (req: Request, res: Response) => {
    const c = await d.clients.get(String(req.params.id));
    if (!c) return send(res, 404, 'not_found', 'no such client');
    res.json(clientView(c));
  });

  router.post('/:id/disable', async (req: Request, res: Response) => {
    const c = await d.clients.disable(String(req.params.id), 'admin');
    if (!c) return send(res, 404, 'not_found', 'no such client');
    res.json(clientView(c));
  });

  router.delete('/:id', async (req: Request, res: Response) => {
    if (!(await d.clients.delete(String(req.params.id), 'admin'))) return send(res, 404, 'not_found', 'no such client');
    res.status(204).end();
  });

  router.use((_req: Request, res: Response) => send(res, 404, 'not_found', 'no such endpoint'));
  const onError: ErrorRequestHandler = (err, _req, res, next) => {
    if (res.headersSent) return next(err);
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') return send(res, 413, 'invalid_request', 'request body too large');
    if (typeof type === 'string') return send(res, 400, 'invalid_request', 'request body could not be parsed');
    d.logger.error({ err }, 'admin API failed');
    send(res, 500, 'server_error', 'internal error');
  };
  router.use(onError);
  return router;
}
