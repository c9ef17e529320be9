import type { IdentityStore, ResourceType, ScimJson } from '../store/port.ts';
import { parseProjection, renderResource } from '../scimmy/index.ts';
import type { Leniency } from './leniency-hook.ts';
import { readListParams, type ListParams } from './list-params.ts';

type Query = Record<string, unknown>;

export interface Page {
  totalResults: number;
  resources: ScimJson[];
}

/**
 * One page of one resource type, planned in SQL by the store: the filter goes through the
 * leniency hook first (Entra's value-path lookups), then `readListParams` validates the rest.
 */
export async function listResources(
  type: ResourceType,
  deps: { store: IdentityStore; leniency: Leniency },
  rawQuery: Query,
  base: string,
  paging?: Pick<ListParams, 'startIndex' | 'count'>,
): Promise<Page & { params: ListParams }> {
  const query = deps.leniency.normalizeScimRequest({ method: 'GET', resourceType: type, query: { ...rawQuery } }).query;
  const params = { ...readListParams(query), ...(paging ?? {}) };
  const projection = parseProjection(params.attributes, params.excludedAttributes);
  const { totalResults, resources } = await deps.store.list(type, {
    ...(params.filter !== undefined ? { filter: params.filter } : {}),
    ...(params.sortBy !== undefined ? { sortBy: params.sortBy } : {}),
    ...(params.sortOrder !== undefined ? { sortOrder: params.sortOrder } : {}),
    startIndex: params.startIndex,
    count: params.count,
  });
  const page = resources.slice(0, params.count).map((r) => renderResource(type, r, base, projection));
  return { totalResults, resources: page, params };
}
