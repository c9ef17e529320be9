/**
 * Paging limits shared by the ListResponse handling and /ServiceProviderConfig (filter.maxResults).
 * The query planner (../query) owns the real limit; this re-export keeps one number in the system.
 */
export { MAX_PAGE_SIZE } from '../query/index.ts';

/** /Bulk limits (RFC 7644 §3.7.4): advertised in /ServiceProviderConfig and enforced by the route. */
export const MAX_BULK_OPERATIONS = 1000;
/** bytes: 1 MiB */
export const MAX_BULK_PAYLOAD = 1024 * 1024;
