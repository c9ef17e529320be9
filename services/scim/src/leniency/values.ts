import type { AttributeInfo } from './schema-info.ts';

/**
 * Schema-directed value transforms shared by body and PATCH rules. Each is pure and idempotent:
 * applying it to its own output changes nothing.
 */

export type Json = Record<string, unknown>;

export function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isUnset(value: unknown): boolean {
  return value === null || value === '';
}

const STRING_BOOLEAN = /^(true|false)$/i;

/** Recursively maps the simple (non-complex) values under `attribute` with `leaf`. */
function mapLeaves(attribute: AttributeInfo, value: unknown, leaf: (attribute: AttributeInfo, value: unknown) => unknown): unknown {
  if (attribute.type !== 'complex') return leaf(attribute, value);
  const inObject = (object: unknown): unknown => {
    if (!isPlainObject(object)) return object;
    const out: Json = {};
    for (const [key, child] of Object.entries(object)) {
      const sub = attribute.sub.get(key.toLowerCase());
      out[key] = sub ? mapLeaves(sub, child, leaf) : child;
    }
    return out;
  };
  return Array.isArray(value) ? value.map(inObject) : inObject(value);
}

/**
 * `"type": "Work"` → `"work"`: scimmy compares canonical values case-sensitively and rejects the
 * rest, so a value equal to a canonical one except for case takes the canonical spelling.
 */
export function canonicalCase(attribute: AttributeInfo, value: unknown): unknown {
  return mapLeaves(attribute, value, (leaf, item) => {
    if (typeof item !== 'string' || !leaf.canonicalValues) return item;
    return leaf.canonicalValues.find((canonical) => canonical.toLowerCase() === item.toLowerCase()) ?? item;
  });
}

/** `"True"`/`"false"` (any case) → boolean, for attributes the schema types as boolean. */
export function coerceBooleans(attribute: AttributeInfo, value: unknown): unknown {
  return mapLeaves(attribute, value, (leaf, item) =>
    leaf.type === 'boolean' && typeof item === 'string' && STRING_BOOLEAN.test(item) ? item.toLowerCase() === 'true' : item,
  );
}

/**
 * Multi-valued shapes: OneLogin's single object → `[object]`; a bare string element of a complex
 * attribute with a `value` sub-attribute (`members: ["id"]`) → `{ value }`.
 */
export function wrapMultiValued(attribute: AttributeInfo, value: unknown): unknown {
  if (!attribute.multiValued || attribute.type !== 'complex') return value;
  const hasValue = attribute.sub.has('value');
  const element = (item: unknown): unknown => (hasValue && typeof item === 'string' && item !== '' ? { value: item } : item);
  if (isPlainObject(value)) return [value];
  if (typeof value === 'string' && value !== '') return [element(value)];
  return Array.isArray(value) ? value.map(element) : value;
}

function pruneObject(attribute: AttributeInfo, object: Json): Json | undefined {
  const out: Json = {};
  for (const [key, child] of Object.entries(object)) {
    const sub = attribute.sub.get(key.toLowerCase());
    const pruned = sub ? prune(sub, child) : isUnset(child) ? undefined : child;
    if (pruned !== undefined) out[key] = pruned;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * `null` and `""` mean "not set" (Entra, OneLogin templates): such attributes are removed,
 * recursively. A complex value left without sub-attributes is removed; so is an entry of a
 * multi-valued attribute that lost its `value` (an email without an address means nothing);
 * an array left empty is removed unless it was sent empty (`roles: []` is kept).
 */
export function prune(attribute: AttributeInfo, value: unknown): unknown {
  if (isUnset(value)) return undefined;
  if (attribute.type !== 'complex') {
    if (!Array.isArray(value)) return value;
    const kept = value.filter((item) => !isUnset(item));
    return kept.length === 0 && value.length > 0 ? undefined : kept;
  }
  if (isPlainObject(value)) return pruneObject(attribute, value);
  if (!Array.isArray(value)) return value;
  const needsValue = attribute.sub.has('value');
  const kept: unknown[] = [];
  for (const item of value) {
    if (isUnset(item)) continue;
    if (!isPlainObject(item)) {
      kept.push(item);
      continue;
    }
    const pruned = pruneObject(attribute, item);
    if (pruned && (!needsValue || Object.keys(pruned).some((key) => key.toLowerCase() === 'value'))) kept.push(pruned);
  }
  return kept.length === 0 && value.length > 0 ? undefined : kept;
}

/** Members (or any `value`-keyed entries): keep the first entry per `value`, in order. */
export function dedupeByValue(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  const seen = new Set<unknown>();
  return value.filter((item) => {
    if (!isPlainObject(item) || item.value === undefined) return true;
    if (seen.has(item.value)) return false;
    seen.add(item.value);
    return true;
  });
}
