import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import { listProfiles } from '@ffgate/media';
import type { Verifier } from '@ffgate/verifier';
import { GatewayError } from '../errors.ts';
import type { JobsContext } from '../jobs/context.ts';
import type { SpecChecker } from '../jobs/spec.ts';
import { submitJob } from '../jobs/submit.ts';
import { cancelJob } from '../jobs/user-cancel.ts';
import { toJobView, type JobRow } from '../jobs/view.ts';
import { userTrail, verifyStore } from '../audit/store.ts';
import { jobs } from '../store/schema.ts';
import { authenticate, principalOf, type Principal } from './auth.ts';
import type { JobChanges } from './job-changes.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { problemHandler, type ProblemLogger } from './problem.ts';
import { JobList, ListJobsQuery, ProfileList } from './schemas.ts';
import { streamJobEvents, type SseOptions } from './sse.ts';

export interface RouterDeps {
  ctx: JobsContext;
  verifier: Verifier;
  adminToken: string | undefined;
  specs: SpecChecker;
  changes: JobChanges;
  logger: ProblemLogger;
  sse?: SseOptions;
}

/** Largest request body: a spec is small; a larger body is refused before parsing (413). */
const BODY_LIMIT = '64kb';
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

const wrap = (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => {
  fn(req, res).catch(next);
};

/** `/v1/*` and `/admin/v1/audit*`; mount at the root. */
export function buildRouter(deps: RouterDeps): Router {
  const { ctx, verifier, adminToken } = deps;
  const router = Router();
  const user = authenticate(verifier, adminToken, { user: true, admin: false });
  const userOrAdmin = authenticate(verifier, adminToken, { user: true, admin: true });
  const admin = authenticate(verifier, adminToken, { user: false, admin: true });
  const json = express.json({ limit: BODY_LIMIT, type: () => true });

  router.get('/v1/openapi.json', (_req, res) => {
    res.json(buildOpenApiDocument());
  });

  router.post(
    '/v1/jobs',
    user,
    json,
    wrap(async (req, res) => {
      const principal = principalOf(req) as Extract<Principal, { kind: 'user' }>;
      const credential = principal.credential;
      // the credential's expiry was checked by the verifier just now: at submit, as the issue asks
      const key = req.get('idempotency-key');
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) throw new GatewayError('FFGATE_GW_BAD_REQUEST', 400, 'Idempotency-Key must be 1–200 visible ASCII characters');
      const spec = await deps.specs.check(req.body, credential.sub);
      const { job } = await submitJob(ctx, { credential, spec, idempotencyKey: key });
      res.status(202).location(`/v1/jobs/${job.id}`).json(toJobView(job));
    }),
  );

  router.get(
    '/v1/jobs',
    userOrAdmin,
    wrap(async (req, res) => {
      const principal = principalOf(req);
      const q = ListJobsQuery.safeParse(req.query);
      if (!q.success) throw new GatewayError('FFGATE_GW_BAD_REQUEST', 400, q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const conditions: (SQL | undefined)[] = [];
      if (principal.kind === 'user') conditions.push(eq(jobs.ownerId, principal.credential.sub));
      if (q.data.status) conditions.push(eq(jobs.status, q.data.status));
      if (q.data.cursor) {
        const c = decodeCursor(q.data.cursor);
        conditions.push(or(lt(jobs.createdAt, c.t), and(eq(jobs.createdAt, c.t), lt(jobs.id, c.id))));
      }
      const rows = await ctx.db
        .select()
        .from(jobs)
        .where(and(...conditions))
        .orderBy(desc(jobs.createdAt), desc(jobs.id))
        .limit(q.data.limit + 1);
      const page = rows.slice(0, q.data.limit);
      const last = page.at(-1);
      const body: typeof JobList._output = { items: page.map(toJobView), nextCursor: rows.length > q.data.limit && last ? encodeCursor(last) : null };
      res.json(body);
    }),
  );

  const loadVisible = async (req: Request): Promise<JobRow> => {
    const principal = principalOf(req);
    const id = String(req.params.id);
    const [row] = await ctx.db.select().from(jobs).where(eq(jobs.id, id));
    // another user's job is "not found", not "forbidden": ids do not leak
    if (!row || (principal.kind === 'user' && row.ownerId !== principal.credential.sub)) throw new GatewayError('FFGATE_GW_NOT_FOUND', 404, 'no such job');
    return row;
  };

  router.get(
    '/v1/jobs/:id',
    userOrAdmin,
    wrap(async (req, res) => {
      res.json(toJobView(await loadVisible(req)));
    }),
  );

  router.post(
    '/v1/jobs/:id/cancel',
    userOrAdmin,
    wrap(async (req, res) => {
      const principal = principalOf(req);
      const job = await loadVisible(req);
      const after = await cancelJob(ctx, job.id, principal.kind === 'user' ? { ownerId: principal.credential.sub, actor: `user:${principal.credential.sub}` } : { actor: 'admin' });
      res.status(202).json(toJobView(after));
    }),
  );

  router.get(
    '/v1/jobs/:id/events',
    userOrAdmin,
    wrap(async (req, res) => {
      const job = await loadVisible(req);
      await streamJobEvents(
        req,
        res,
        job.id,
        async () => {
          const [row] = await ctx.db.select().from(jobs).where(eq(jobs.id, job.id));
          return row ? { view: toJobView(row), statusSeq: row.statusSeq, progressSeq: row.progressSeq } : undefined;
        },
        deps.changes,
        deps.sse,
      );
    }),
  );

  router.get(
    '/v1/profiles',
    user,
    wrap(async (req, res) => {
      const { credential } = principalOf(req) as Extract<Principal, { kind: 'user' }>;
      const items = listProfiles()
        .filter((p) => credential.profiles.includes(p.name) && credential.queues.includes(p.queue))
        .map((p) => ({ name: p.name, description: p.description, queue: p.queue }));
      const body: typeof ProfileList._output = { items };
      res.json(body);
    }),
  );

  router.get(
    '/admin/v1/audit',
    admin,
    wrap(async (req, res) => {
      const userId = typeof req.query.user === 'string' ? req.query.user : '';
      if (!userId) throw new GatewayError('FFGATE_GW_BAD_REQUEST', 400, 'query parameter user (a SCIM user id) is required');
      const limit = Math.min(Math.max(Number(req.query.limit ?? 1000) || 1000, 1), 1000);
      res.json({ items: await userTrail(ctx.db, userId, limit) });
    }),
  );

  router.get(
    '/admin/v1/audit/verify',
    admin,
    wrap(async (_req, res) => {
      res.json(await verifyStore(ctx.db));
    }),
  );

  router.use(['/v1', '/admin/v1/audit'], problemHandler(deps.logger));
  return router;
}

function encodeCursor(row: JobRow): string {
  return Buffer.from(JSON.stringify({ t: row.createdAt.toISOString(), id: row.id })).toString('base64url');
}

function decodeCursor(cursor: string): { t: Date; id: string } {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { t?: unknown; id?: unknown };
    const t = new Date(String(v.t));
    if (typeof v.id !== 'string' || Number.isNaN(t.getTime())) throw new Error('bad cursor');
    return { t, id: v.id };
  } catch (cause) {
    throw new GatewayError('FFGATE_GW_BAD_REQUEST', 400, 'cursor is not valid; pass nextCursor from a previous page', { cause });
  }
}
