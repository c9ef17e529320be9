/**
 * Paging limits shared by the ListResponse handling and /ServiceProviderConfig (filter.maxResults).
 * The query planner (../query) owns the real limit; this re-export keeps one number in the system.
 */
export { MAX_PAGE_SIZE } from '../query/index.ts';
