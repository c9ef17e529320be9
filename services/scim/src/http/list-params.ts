import type { ListQuery } from '../store/port.ts';
import { scimError } from '../scimmy/index.ts';
import { MAX_PAGE_SIZE } from '../scimmy/limits.ts';

/**
 * Query parameters of a list request (RFC 7644 §3.4.2). Read once from `req.query` (Express 5
 * re-parses it on every access). Paging follows §3.4.2.4: startIndex < 1 means 1, a negative
 * count means 0; counts above MAX_PAGE_SIZE are clamped (advertised as filter.maxResults).
 */
export interface ListParams extends ListQuery {
  attributes?: string;
  excludedAttributes?: string;
}

type Query = Record<string, unknown>;

function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw scimError(400, 'invalidValue', `query parameter '${name}' must be given once`);
  return value;
}

function integer(query: Query, name: string): number | undefined {
  const value = single(query, name);
  if (value === undefined || value.trim() === '') return undefined;
  if (!/^\s*-?\d{1,15}\s*$/.test(value)) throw scimError(400, 'invalidValue', `${name} must be an integer`);
  return Number(value);
}

export function readListParams(query: Query): ListParams {
  const filter = single(query, 'filter');
  if (filter !== undefined && filter.trim() === '') throw scimError(400, 'invalidFilter', 'filter must not be empty');

  const sortOrderRaw = single(query, 'sortOrder');
  let sortOrder: ListQuery['sortOrder'];
  if (sortOrderRaw !== undefined) {
    const lower = sortOrderRaw.toLowerCase();
    if (lower !== 'ascending' && lower !== 'descending') {
      throw scimError(400, 'invalidValue', "sortOrder must be 'ascending' or 'descending'");
    }
    sortOrder = lower;
  }
  const sortBy = single(query, 'sortBy');

  const startIndex = Math.max(integer(query, 'startIndex') ?? 1, 1);
  const count = Math.min(Math.max(integer(query, 'count') ?? MAX_PAGE_SIZE, 0), MAX_PAGE_SIZE);

  return {
    ...(filter !== undefined ? { filter } : {}),
    ...(sortBy !== undefined && sortBy.trim() !== '' ? { sortBy } : {}),
    ...(sortOrder ? { sortOrder } : {}),
    startIndex,
    count,
    ...optional(query, 'attributes'),
    ...optional(query, 'excludedAttributes'),
  };
}

function optional(query: Query, name: 'attributes' | 'excludedAttributes'): Partial<ListParams> {
  const value = single(query, name);
  return value === undefined ? {} : { [name]: value };
}

/** attributes / excludedAttributes of a single-resource request */
export function readProjectionParams(query: Query): { attributes?: string; excludedAttributes?: string } {
  return { ...optional(query, 'attributes'), ...optional(query, 'excludedAttributes') };
}
