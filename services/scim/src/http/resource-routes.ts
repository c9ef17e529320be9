import { Router, type Request, type Response } from 'express';
import SCIMMY from 'scimmy';
import type { IdentityStore, ResourceType, ScimJson, StoredResource, WriteContext } from '../store/port.ts';
import { applyPatch, etagOf, parseProjection, parseResource, renderResource, scimError } from '../scimmy/index.ts';
import { connectionOf, scimBaseOf } from './context.ts';
import type { Leniency } from './leniency-hook.ts';
import { readListParams, readProjectionParams } from './list-params.ts';
import { ifVersionFor, matches, parseEntityTags } from './preconditions.ts';
import { listResponse, sendScim } from './send.ts';

export interface ResourceRouteDeps {
  store: IdentityStore;
  leniency: Leniency;
}

type Query = Record<string, unknown>;

/** `/Users` or `/Groups`: list, read, create, replace, patch, delete. */
export function resourceRoutes(type: ResourceType, deps: ResourceRouteDeps): Router {
  const { store, leniency } = deps;
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
    const condition = parseEntityTags(req.headers['if-match']);
    let current: number | undefined;
    if (condition.kind === 'versions' && condition.versions.length > 1) current = (await store.get(type, id))?.version;
    const ifVersion = ifVersionFor(condition, current);
    return { actor: connectionOf(res).name, ...(ifVersion !== undefined ? { ifVersion } : {}) };
  }

  /** LENIENCY HOOK: the request's body and query, normalised before scimmy or the planner see them */
  function normalized(req: Request, method: 'GET' | 'POST' | 'PUT' | 'PATCH', withBody: boolean) {
    return leniency.normalizeScimRequest({
      method,
      resourceType: type,
      ...(typeof req.params.id === 'string' ? { id: req.params.id } : {}),
      ...(withBody ? { body: req.body } : {}),
      query: { ...(req.query as Query) },
    });
  }

  /** list and search share one path: leniency on the filter, the store plans and pages */
  async function list(res: Response, query: Query): Promise<void> {
    const params = readListParams(query);
    const projection = parseProjection(params.attributes, params.excludedAttributes);
    const { totalResults, resources } = await store.list(type, {
      ...(params.filter !== undefined ? { filter: params.filter } : {}),
      ...(params.sortBy !== undefined ? { sortBy: params.sortBy } : {}),
      ...(params.sortOrder !== undefined ? { sortOrder: params.sortOrder } : {}),
      startIndex: params.startIndex,
      count: params.count,
    });
    const page = resources.slice(0, params.count).map((r) => renderResource(type, r, scimBaseOf(res), projection));
    sendScim(res, 200, listResponse(page, totalResults, params.startIndex));
  }

  router.get('/', async (req, res) => {
    await list(res, normalized(req, 'GET', false).query);
  });

  // POST /.search (RFC 7644 §3.4.3): the same query as GET, sent in a SearchRequest body.
  router.post('/.search', async (req, res) => {
    const query = searchRequestQuery(req.body);
    const lenient = leniency.normalizeScimRequest({ method: 'GET', resourceType: type, query });
    await list(res, lenient.query);
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
    const resource = parseResource(type, normalized(req, 'POST', true).body);
    const stored = await store.create(type, resource, { actor: connectionOf(res).name });
    respondWithResource(req, res, 201, stored);
  });

  // PUT replaces every writable attribute. Read-only ones in the body (id, meta, groups) are
  // ignored as RFC 7644 §3.5.1 requires — Okta PUTs back the whole user it just read.
  router.put('/:id', async (req, res) => {
    const ctx = await writeContext(req, res, req.params.id);
    const resource = parseResource(type, normalized(req, 'PUT', true).body);
    const stored = await store.update(type, req.params.id, () => resource, ctx);
    respondWithResource(req, res, 200, stored);
  });

  // PATCH is applied to the current state inside the store's transaction (row lock): concurrent
  // PATCHes serialise, and any failing operation rolls back the whole request. A PATCH that
  // changes nothing leaves version and events alone (the store skips identical writes).
  router.patch('/:id', async (req, res) => {
    const ctx = await writeContext(req, res, req.params.id);
    const message = normalized(req, 'PATCH', true).body;
    const base = scimBaseOf(res);
    const stored = await store.update(
      type,
      req.params.id,
      async (current): Promise<ScimJson> => {
        let patch = message;
        if (leniency.applyPatchLeniencyWithCurrent && isPatchMessage(patch)) {
          patch = leniency.applyPatchLeniencyWithCurrent(type, patch as never, current.resource).patch;
          if (leniency.isEmptyPatch?.(patch as never)) return current.resource;
        }
        return (await applyPatch(type, current, patch, base)) ?? current.resource;
      },
      ctx,
    );
    respondWithResource(req, res, 200, stored);
  });

  router.delete('/:id', async (req, res) => {
    const ctx = await writeContext(req, res, req.params.id);
    await store.delete(type, req.params.id, ctx);
    sendScim(res, 204);
  });

  return router;
}

/** SearchRequest body → the equivalent list query parameters (validated by scimmy) */
function searchRequestQuery(body: unknown): Query {
  const request = new SCIMMY.Messages.SearchRequest(body as ConstructorParameters<typeof SCIMMY.Messages.SearchRequest>[0]);
  const query: Query = {};
  if (request.filter !== undefined) query.filter = request.filter;
  if (request.sortBy !== undefined) query.sortBy = request.sortBy;
  if (request.sortOrder !== undefined) query.sortOrder = request.sortOrder;
  if (request.startIndex !== undefined) query.startIndex = String(request.startIndex);
  if (request.count !== undefined) query.count = String(request.count);
  if (request.attributes?.length) query.attributes = request.attributes.join(',');
  if (request.excludedAttributes?.length) query.excludedAttributes = request.excludedAttributes.join(',');
  return query;
}

function isPatchMessage(value: unknown): boolean {
  return value !== null && typeof value === 'object' && Array.isArray((value as { Operations?: unknown }).Operations);
}
