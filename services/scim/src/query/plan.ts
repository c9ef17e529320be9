import type { SQL } from 'drizzle-orm';
import type { ListQuery, ResourceType } from '../store/port.ts';
import { parseFilter } from './filter/parser.ts';
import { planPage } from './paginate.ts';
import { planOrderBy } from './sort.ts';
import { compileFilter } from './where.ts';

export interface ListPlan {
  /** WHERE condition over `scim.users` / `scim.groups` (not aliased); undefined without a filter */
  where: SQL | undefined;
  /** ORDER BY terms, always ending with the id tie-breaker */
  orderBy: SQL[];
  limit: number;
  offset: number;
}

/**
 * Plan a SCIM list query for the store: select from the resource's table (unaliased, because the
 * fragments name `"scim"."users"` / `"scim"."groups"` columns) `where` the condition, count(*) with
 * the same condition for totalResults, and fetch the page with `orderBy`, `limit`, `offset`.
 * Throws InvalidFilterError (400 invalidFilter) or InvalidSortError (400 invalidValue).
 */
export function planList(type: ResourceType, query: ListQuery): ListPlan {
  const filter = query.filter?.trim();
  const where = filter === undefined || filter === '' ? undefined : compileFilter(type, parseFilter(filter));
  return { where, orderBy: planOrderBy(type, query), ...planPage(query) };
}
