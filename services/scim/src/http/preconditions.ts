import { scimError } from '../scimmy/index.ts';

/**
 * Conditional requests on `meta.version` (RFC 7644 §3.14, RFC 9110 §13). Our entity tags are
 * weak (`W/"<version>"`); SCIM compares them weakly, so `"3"` and `W/"3"` both mean version 3.
 */
export type EntityTagCondition =
  | { kind: 'absent' }
  | { kind: 'any' }
  /** versions listed; tags that are not ours can never match and are dropped */
  | { kind: 'versions'; versions: number[] };

export function parseEntityTags(header: string | string[] | undefined): EntityTagCondition {
  if (header === undefined) return { kind: 'absent' };
  const raw = Array.isArray(header) ? header.join(',') : header;
  const tags = raw.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
  if (tags.length === 0) return { kind: 'absent' };
  if (tags.includes('*')) return { kind: 'any' };
  const versions: number[] = [];
  for (const tag of tags) {
    const match = /^(?:W\/)?"(\d{1,15})"$/.exec(tag);
    if (match) versions.push(Number(match[1]));
  }
  return { kind: 'versions', versions };
}

export function matches(condition: EntityTagCondition, version: number): boolean {
  if (condition.kind === 'any') return true;
  if (condition.kind === 'versions') return condition.versions.includes(version);
  return false;
}

/**
 * The `ifVersion` to hand to the store for If-Match. `*` and no header → undefined (any version).
 * With several listed versions the caller supplies the current version: the store re-checks it
 * under its row lock, so the choice stays atomic.
 */
export function ifVersionFor(condition: EntityTagCondition, currentVersion?: number): number | undefined {
  if (condition.kind !== 'versions') return undefined;
  if (condition.versions.length === 1) return condition.versions[0];
  if (currentVersion !== undefined && condition.versions.includes(currentVersion)) return currentVersion;
  throw scimError(412, null, 'If-Match does not match the current version of the resource');
}
