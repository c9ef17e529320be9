/**
 * Lookup filters from the three IdPs are already RFC 7644 (`userName eq "x"`, `externalId eq "x"`,
 * `emails[type eq "work"].value eq "x"`, `displayName eq "x"`, joined by `and`), so they pass
 * through unchanged: operator and attribute-name case (`EQ`, `UserName`) is the planner's job, as
 * RFC 7644 §3.4.2.2 makes them case-insensitive. Only transport noise is removed here: surrounding
 * whitespace, and an empty `filter=` which means "no filter".
 */
export function normalizeFilter(filter: string | undefined): { filter: string | undefined; notes: string[] } {
  if (filter === undefined) return { filter, notes: [] };
  const trimmed = filter.trim();
  if (trimmed === '') return { filter: undefined, notes: ['dropEmptyFilter'] };
  return { filter: trimmed, notes: trimmed === filter ? [] : ['trimFilter'] };
}
