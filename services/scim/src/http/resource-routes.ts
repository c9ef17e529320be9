import { Router, type Request, type Response } from 'express';
import type { IdentityStore, ResourceType, StoredResource, WriteContext } from '../store/port.ts';
import { etagOf, parseProjection, renderResource, scimError } from '../scimmy/index.ts';
import { connectionOf, scimBaseOf } from './context.ts';
import type { Leniency } from './leniency-hook.ts';
import { readProjectionParams } from './list-params.ts';
import { listResources } from './listing.ts';
import { resourceOperations } from './operations.ts';
import { ifVersionFor, matches, parseEntityTags } from './preconditions.ts';
import { searchRequestQuery } from './search.ts';
import { listResponse, sendScim } from './send.ts';

export interface ResourceRouteDeps {
  store: IdentityStore;
  leniency: Leniency;
}

type Query = Record<string, unknown>;

/** `/Users` or `/Groups`: list, read, create, replace, patch, delete. */
export function resourceRoutes(type: ResourceType, deps: ResourceRouteDeps): Router {
  const { store } = deps;
  const operations = resourceOperations(type, deps);
  const router = Router();

  function respondWithResource(req: Request, res: Response, status: number, stored: StoredResource): void {
    const { attributes, excludedAttributes } = readProjectionParams(req.query as Query);
    const body = renderResource(type, stored, scimBaseOf(res), parseProjection(attributes, excludedAttributes));
    const headers: Record<string, string> = { ETag: etagOf(stored.version) };
    if (status === 201) headers.Location = (body.meta as { location: string }).location;
    sendScim(res, status, body, headers);
  }

  /** If-Match → the store's ifVersion (the store answers PreconditionFailedError → 412) */
  async function writeContext(req: Request, res: Response, id: string): Promise<WriteContext> {
    return writeContextFor(store, type, id, req.headers['if-match'], connectionOf(res).name);
  }

  async function list(res: Response, query: Query): Promise<void> {
    const page = await listResources(type, deps, query, scimBaseOf(res));
    sendScim(res, 200, listResponse(page.resources, page.totalResults, page.params.startIndex));
  }

  router.get('/', async (req, res) => {
    await list(res, { ...(req.query as Query) });
  });

  // POST /.search (RFC 7644 §3.4.3): the same query as GET, sent in a SearchRequest body.
  router.post('/.search', async (req, res) => {
    await list(res, searchRequestQuery(req.body));
  });

  router.get('/:id', async (req, res) => {
    const stored = await store.get(type, req.params.id);
    if (!stored) throw scimError(404, null, `${type} ${req.params.id} not found`);
    if (matches(parseEntityTags(req.headers['if-none-match']), stored.version)) {
      sendScim(res, 304, undefined, { ETag: etagOf(stored.version) });
      return;
    }
    respondWithResource(req, res, 200, stored);
  });

  router.post('/', async (req, res) => {
    const stored = await operations.create(req.body, { actor: connectionOf(res).name });
    respondWithResource(req, res, 201, stored);
  });

  router.put('/:id', async (req, res) => {
    const ctx = await writeContext(req, res, req.params.id);
    respondWithResource(req, res, 200, await operations.replace(req.params.id, req.body, ctx));
  });

  router.patch('/:id', async (req, res) => {
    const ctx = await writeContext(req, res, req.params.id);
    respondWithResource(req, res, 200, await operations.patch(req.params.id, req.body, scimBaseOf(res), ctx));
  });

  router.delete('/:id', async (req, res) => {
    const ctx = await writeContext(req, res, req.params.id);
    await operations.remove(req.params.id, ctx);
    sendScim(res, 204);
  });

  return router;
}

/** If-Match (header or a bulk operation's `version`) → the store's WriteContext */
export async function writeContextFor(
  store: IdentityStore,
  type: ResourceType,
  id: string,
  ifMatch: string | string[] | undefined,
  actor: string,
): Promise<WriteContext> {
  const condition = parseEntityTags(ifMatch);
  let current: number | undefined;
  if (condition.kind === 'versions' && condition.versions.length > 1) current = (await store.get(type, id))?.version;
  const ifVersion = ifVersionFor(condition, current);
  return { actor, ...(ifVersion !== undefined ? { ifVersion } : {}) };
}
