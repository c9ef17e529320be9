import type { ScimJson } from './port.ts';

/**
 * JSON helpers shared by the repositories: the store keeps one normal form of a resource so that
 * an IdP re-sending an identical PATCH or PUT is recognised as "no change" (no version bump, no
 * event).
 */

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Drop `null`/`undefined` members recursively: IdPs send `null` for "not set" (Entra
 * `"manager": null`), and SCIM responses must not contain nulls.
 */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined).map(withoutNulls);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue;
    out[key] = withoutNulls(v);
  }
  return out;
}

/** Copy of `resource` without the given top-level attributes, matched case-insensitively (SCIM names are). */
export function omitAttributes(resource: ScimJson, names: readonly string[]): ScimJson {
  const drop = new Set(names.map((n) => n.toLowerCase()));
  const out: ScimJson = {};
  for (const [key, v] of Object.entries(resource)) if (!drop.has(key.toLowerCase())) out[key] = v;
  return out;
}

/** Value of a top-level attribute, matched case-insensitively. */
export function attribute(resource: ScimJson, name: string): unknown {
  if (name in resource) return resource[name];
  const lower = name.toLowerCase();
  for (const [key, v] of Object.entries(resource)) if (key.toLowerCase() === lower) return v;
  return undefined;
}

/** JSON with object keys sorted, so equal documents compare equal whatever their key order (jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key]);
  return out;
}
