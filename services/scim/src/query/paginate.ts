import type { ListQuery } from '../store/port.ts';

/**
 * Largest page the server returns (RFC 7644 §3.4.2.4 lets it cap `count`); advertised as
 * `filter.maxResults` in /ServiceProviderConfig.
 */
export const MAX_PAGE_SIZE = 1000;

/**
 * startIndex is 1-based: below 1 means 1. count below 0 means 0 (only totalResults), above the
 * maximum means the maximum; a missing or non-numeric count gets the maximum. A startIndex past the
 * end gives an empty page (the store still reports totalResults).
 */
export function planPage(query: Pick<ListQuery, 'startIndex' | 'count'>): { limit: number; offset: number } {
  const start = Number.isFinite(query.startIndex) ? Math.max(1, Math.floor(query.startIndex)) : 1;
  const count = Number.isNaN(query.count) ? MAX_PAGE_SIZE : Math.min(MAX_PAGE_SIZE, Math.max(0, Math.floor(query.count)));
  return { limit: count, offset: start - 1 };
}
