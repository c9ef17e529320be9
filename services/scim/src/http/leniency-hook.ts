import type { ResourceType, ScimJson } from '../store/port.ts';

/**
 * LENIENCY HOOK — where IdP quirks are normalised, right before scimmy sees a request body or the
 * query planner sees a filter (see /work/shared/IDP-NOTES.md). The shape is a structural subset
 * of `src/leniency`'s exports, so the composition root can pass that module as it is:
 *
 *   import * as leniency from './leniency/index.ts';
 *   buildScimRouter({ ..., leniency });
 *
 * Without it requests go to scimmy unchanged (strict RFC behaviour).
 */
export interface LeniencyRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  resourceType: ResourceType;
  id?: string;
  body?: unknown;
  query?: Record<string, unknown>;
}

export interface Leniency {
  /** request-level normalisation: POST/PUT resource bodies, PATCH messages, the `filter` parameter */
  normalizeScimRequest(request: LeniencyRequest): { body: unknown; query: Record<string, unknown> };
  /** PATCH normalisation that needs the current resource; runs inside the store's transaction */
  applyPatchLeniencyWithCurrent?(type: ResourceType, patch: never, current: ScimJson): { patch: unknown };
  /** a PATCH left with no operations changes nothing: answer with the current resource */
  isEmptyPatch?(patch: never): boolean;
}

export const strictRequests: Leniency = {
  normalizeScimRequest: ({ body, query }) => ({ body, query: query ?? {} }),
};
