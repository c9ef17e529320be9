/**
 * Leniency layer: turns what Okta, Microsoft Entra ID and OneLogin really send into canonical
 * RFC 7643/7644 requests before scimmy validates a body or the query planner sees a filter.
 * Pure functions, no I/O; every rule is a small named function in one ordered list
 * (body-rules.ts, patch-rules.ts); `notes` name the rules that changed something (log at debug).
 *
 * Where the HTTP layer calls it:
 * - POST/PUT `/Users|/Groups[/{id}]`: `normalizeResourceBody(type, body, { method })` → validate.
 * - PATCH: `normalizePatch(type, body, { id })` before `new SCIMMY.Messages.PatchOp(...)`; then,
 *   inside the store's `update` mutate callback (current resource known, row locked),
 *   `applyPatchLeniencyWithCurrent(type, patch, current.resource)`; if `isEmptyPatch(result)`,
 *   answer 200 with the current resource and write nothing (scimmy rejects zero operations).
 * - GET list and POST `/.search`: `normalizeFilter(filter)` before the planner.
 * - `/Bulk`: the same per operation (`data` of POST/PUT/PATCH).
 * `normalizeScimRequest` does the request-level part (everything except the current-aware step).
 *
 * Choices made once, for every IdP:
 * - Every no-path add/replace becomes one operation per attribute (Okta's `{ active: false }` and
 *   Entra's `{ "name.givenName": … }` alike); singular complex values per sub-attribute.
 * - Boolean coercion and single-object wrapping follow scimmy's own schema definitions
 *   (`SCIMMY.Schemas.User/EnterpriseUser/Group.definition`), not a hand-written list.
 * - `null` and `""` mean "not set" everywhere: removed from bodies, `remove` in PATCH.
 * - Unknown schema URNs (and objects keyed by them) are dropped; `id`, `meta`, `groups` dropped;
 *   `password` kept (the HTTP layer handles it).
 * - Filters pass through (see filter.ts): all three IdPs already send RFC filters.
 */
import type { ResourceType } from '../store/port.ts';
import { BODY_RULES } from './body-rules.ts';
import { normalizeFilter } from './filter.ts';
import { normalizeEnvelope, PATCH_RULES } from './patch-rules.ts';
import type { PatchMessage } from './patch-types.ts';
import { runRules } from './rules.ts';
import { isPlainObject } from './values.ts';

export { applyPatchLeniencyWithCurrent, isEmptyPatch } from './patch-current.ts';
export { normalizeFilter } from './filter.ts';
export type { PatchContext, PatchMessage, PatchOperation } from './patch-types.ts';

export type ScimMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** POST/PUT body → canonical resource (`schemas` fixed, `id`/`meta`/`groups` dropped, nulls removed…). */
export function normalizeResourceBody(type: ResourceType, body: unknown, options: { method: 'POST' | 'PUT' }): { body: unknown; notes: string[] } {
  if (!isPlainObject(body)) return { body, notes: [] }; // malformed: leave it to the validator
  const notes: string[] = [];
  return { body: runRules(BODY_RULES, body, { type, method: options.method }, notes), notes };
}

/** PATCH body → canonical PatchOp: lower-case ops, one path per op, RFC value shapes. */
export function normalizePatch(type: ResourceType, body: unknown, options: { id?: string } = {}): { patch: PatchMessage; notes: string[] } {
  const notes: string[] = [];
  const envelope = normalizeEnvelope(body);
  if (isPlainObject(body) && (!Array.isArray(body.schemas) || body.schemas.length !== 1 || body.schemas[0] !== envelope.schemas[0] || !Array.isArray(body.Operations))) {
    notes.push('normalizeEnvelope');
  }
  return { patch: runRules(PATCH_RULES, envelope, { type, id: options.id }, notes), notes };
}

export interface ScimRequest {
  method: ScimMethod;
  resourceType: ResourceType;
  id?: string;
  body?: unknown;
  query?: Record<string, unknown>;
}

export interface NormalizedScimRequest {
  body: unknown;
  query: Record<string, unknown>;
  notes: string[];
}

/** One call per request: normalises the body by method and the `filter` query parameter. */
export function normalizeScimRequest(request: ScimRequest): NormalizedScimRequest {
  const notes: string[] = [];
  let body = request.body;
  if (request.method === 'POST' || request.method === 'PUT') {
    const result = normalizeResourceBody(request.resourceType, body, { method: request.method });
    body = result.body;
    notes.push(...result.notes);
  } else if (request.method === 'PATCH' && body !== undefined) {
    const result = normalizePatch(request.resourceType, body, { id: request.id });
    body = result.patch;
    notes.push(...result.notes);
  }
  const query = { ...(request.query ?? {}) };
  if (typeof query.filter === 'string') {
    const result = normalizeFilter(query.filter);
    if (result.filter === undefined) delete query.filter;
    else query.filter = result.filter;
    notes.push(...result.notes);
  }
  return { body, query, notes };
}
