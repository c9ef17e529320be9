import { sql, type SQL } from 'drizzle-orm';
import { groups, users } from '../store/schema.ts';
import type { ListQuery, ResourceType } from '../store/port.ts';
import { InvalidSortError } from './errors.ts';
import { resolvePath } from './resolve-path.ts';
import { findAttribute } from './schema-definitions.ts';
import { sortKey, type Scalar } from './sql/scalar.ts';
import { targetFor } from './sql/targets.ts';

/**
 * ORDER BY for RFC 7644 §3.4.2.3. Strings sort case-insensitively unless caseExact, by code point
 * (COLLATE "C": locale-free, and the same on PostgreSQL and PGlite). A multi-valued attribute sorts
 * by its primary value, else its first. Missing values sort last in both orders. `id` always breaks
 * ties so pages are stable; without sortBy the order is creation time, then id.
 */
const fail = (message: string) => new InvalidSortError(message);

export function planOrderBy(type: ResourceType, query: Pick<ListQuery, 'sortBy' | 'sortOrder'>): SQL[] {
  const table = type === 'User' ? users : groups;
  const direction = sortDirection(query.sortOrder);
  if (query.sortBy === undefined || query.sortBy.trim() === '') return [sql`${table.created} asc`, sql`${table.id} asc`];
  const key = sortKey(sortScalar(type, query.sortBy.trim()));
  const dir = sql.raw(direction);
  const byId = sql`${table.id} ${dir}`;
  return key === undefined ? [byId] : [sql`${key} ${dir} nulls last`, byId];
}

function sortDirection(sortOrder: string | undefined): 'asc' | 'desc' {
  if (sortOrder === undefined || sortOrder === '') return 'asc';
  const lower = sortOrder.toLowerCase();
  if (lower === 'ascending') return 'asc';
  if (lower === 'descending') return 'desc';
  throw new InvalidSortError(`sortOrder must be "ascending" or "descending"`);
}

function sortScalar(type: ResourceType, sortBy: string): Scalar {
  const resolved = resolvePath(type, sortBy);
  if (resolved === undefined) throw new InvalidSortError(`unknown sortBy attribute ${JSON.stringify(sortBy.slice(0, 100))}`);
  const target = targetFor(type, resolved, fail);
  if (target.kind === 'scalar') return target.scalar;
  if (target.kind === 'complex') {
    if (resolved.sub === undefined) throw new InvalidSortError(`cannot sort by complex attribute "${target.name}": name a sub-attribute`);
    return target.element(resolved.sub);
  }
  const sub = resolved.sub ?? findAttribute(target.def.subAttributes, 'value');
  if (sub === undefined || target.sortScalar === undefined) throw new InvalidSortError(`cannot sort by "${target.name}"`);
  return target.sortScalar(sub);
}
