import SCIMMY from 'scimmy';
import { InvalidFilterError, InvalidSortError } from '../query/index.ts';
import type { IdentityStore, ResourceType } from '../store/port.ts';
import { scimError } from '../scimmy/index.ts';
import type { Leniency } from './leniency-hook.ts';
import { listResources, type Page } from './listing.ts';
import { readListParams } from './list-params.ts';

type Query = Record<string, unknown>;
type SearchBody = ConstructorParameters<typeof SCIMMY.Messages.SearchRequest>[0];

/**
 * SearchRequest body (RFC 7644 §3.4.3) → the equivalent list query parameters. scimmy validates
 * the message, except `startIndex`/`count`: its SearchRequest refuses `count: 0`, which §3.4.2.4
 * allows ("0 … no resources returned, only totalResults") and which the GET list accepts. Those
 * two go through the same `readListParams` rules as query strings.
 */
export function searchRequestQuery(body: unknown): Query {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw scimError(400, 'invalidSyntax', 'request body must be a SearchRequest message');
  }
  const { startIndex, count, ...rest } = body as Record<string, unknown>;
  let request: InstanceType<typeof SCIMMY.Messages.SearchRequest>;
  try {
    request = new SCIMMY.Messages.SearchRequest(rest as SearchBody);
  } catch (error) {
    if (error instanceof TypeError) throw scimError(400, 'invalidValue', error.message);
    throw error;
  }
  const query: Query = {};
  if (request.filter !== undefined) query.filter = request.filter;
  if (request.sortBy !== undefined) query.sortBy = request.sortBy;
  if (request.sortOrder !== undefined) query.sortOrder = request.sortOrder;
  if (startIndex !== undefined && startIndex !== null) query.startIndex = integerParam('startIndex', startIndex);
  if (count !== undefined && count !== null) query.count = integerParam('count', count);
  if (request.attributes?.length) query.attributes = request.attributes.join(',');
  if (request.excludedAttributes?.length) query.excludedAttributes = request.excludedAttributes.join(',');
  return query;
}

function integerParam(name: string, value: unknown): string {
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  // Okta-style clients may send integers as strings; anything else is refused by readListParams
  if (typeof value === 'string') return value;
  throw scimError(400, 'invalidValue', `${name} must be an integer`);
}

const ORDER: ResourceType[] = ['User', 'Group'];

/**
 * `POST /.search` at the server root: every resource type, users first then groups (each in its
 * own stable order), `totalResults` summed and one 1-based window laid over the concatenation.
 * A filter or sortBy naming an attribute a type does not have makes that type contribute nothing;
 * when it is invalid for every type the request is a 400 like on a single endpoint.
 */
export async function searchAll(deps: { store: IdentityStore; leniency: Leniency }, query: Query, base: string): Promise<Page & { startIndex: number }> {
  const { startIndex, count } = readListParams(query);
  const resources: Page['resources'] = [];
  let totalResults = 0;
  let failure: unknown;
  let failures = 0;
  for (const type of ORDER) {
    // position of this type's first resource inside the concatenation is totalResults + 1
    const localStart = Math.max(startIndex - totalResults, 1);
    const localCount = count - resources.length;
    let page: Page;
    try {
      page = await listResources(type, deps, query, `${base}`, { startIndex: localStart, count: Math.max(localCount, 0) });
    } catch (error) {
      if (!(error instanceof InvalidFilterError || error instanceof InvalidSortError)) throw error;
      failure ??= error;
      failures++;
      continue;
    }
    // the window begins inside a later type: this one only contributes to the total
    if (startIndex <= totalResults + page.totalResults) resources.push(...page.resources);
    totalResults += page.totalResults;
  }
  if (failures === ORDER.length) throw failure;
  return { totalResults, resources, startIndex };
}
