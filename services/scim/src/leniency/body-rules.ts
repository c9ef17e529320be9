import type { ResourceType } from '../store/port.ts';
import { normalizeManager } from './manager.ts';
import { looksLikeSchemaUri } from './paths.ts';
import type { Rule } from './rules.ts';
import { resourceInfo, schemaByUrn, type AttributeInfo } from './schema-info.ts';
import { canonicalCase, coerceBooleans, dedupeByValue, isPlainObject, prune, wrapMultiValued, type Json } from './values.ts';

export interface BodyContext {
  type: ResourceType;
  method: 'POST' | 'PUT';
}

type Visit = (attribute: AttributeInfo, value: unknown) => unknown;

/** Applies `visit` to every known attribute (core at top level, extension ones inside their URN object). */
function mapAttributes(body: Json, ctx: BodyContext, visit: Visit): Json {
  const info = resourceInfo(ctx.type);
  const out: Json = {};
  for (const [key, value] of Object.entries(body)) {
    const core = info.core.attributes.get(key.toLowerCase());
    const extension = core ? undefined : schemaByUrn(ctx.type, key);
    let next = value;
    if (core) next = visit(core, value);
    else if (extension && isPlainObject(value)) {
      next = {};
      for (const [name, child] of Object.entries(value)) {
        const attribute = extension.attributes.get(name.toLowerCase());
        const mapped = attribute ? visit(attribute, child) : child;
        if (mapped !== undefined) (next as Json)[name] = mapped;
      }
    }
    if (next !== undefined) out[key] = next;
  }
  return out;
}

const omit = (body: Json, drop: (key: string) => boolean): Json =>
  Object.fromEntries(Object.entries(body).filter(([key]) => !drop(key)));

/** `id` (the path id wins; `"id": null` from OneLogin templates) and `meta` are the server's. */
const dropIdAndMeta: Rule<Json, BodyContext> = {
  name: 'dropIdAndMeta',
  apply: (body) => omit(body, (key) => ['id', 'meta'].includes(key.toLowerCase())),
};

/** Other read-only attributes, from the schema: Okta sends `groups: []` on User create/PUT. */
const dropReadOnlyAttributes: Rule<Json, BodyContext> = {
  name: 'dropReadOnlyAttributes',
  apply: (body, ctx) => omit(body, (key) => resourceInfo(ctx.type).core.attributes.get(key.toLowerCase())?.readOnly === true),
};

/**
 * URN-keyed objects: known extensions get their canonical spelling (typo'd case); a core-URN
 * object is flattened to the top level; unknown ones (Microsoft's own URNs) are dropped.
 */
const canonicalizeSchemaKeys: Rule<Json, BodyContext> = {
  name: 'canonicalizeSchemaKeys',
  apply(body, ctx) {
    const core = resourceInfo(ctx.type).core;
    const out: Json = {};
    for (const [key, value] of Object.entries(body)) {
      if (!looksLikeSchemaUri(key)) {
        out[key] = value;
        continue;
      }
      const schema = schemaByUrn(ctx.type, key);
      if (!schema || !isPlainObject(value)) continue;
      if (schema === core) for (const [name, child] of Object.entries(value)) out[name] ??= child;
      else out[schema.urn] = isPlainObject(out[schema.urn]) ? { ...(out[schema.urn] as Json), ...value } : value;
    }
    return out;
  },
};

const normalizeManagerShape: Rule<Json, BodyContext> = {
  name: 'normalizeManagerShape',
  apply: (body, ctx) => mapAttributes(body, ctx, (attribute, value) => (attribute.name === 'manager' ? normalizeManager(value) : value)),
};

/** OneLogin's `"emails": {…}` → `[{…}]`; bare-string members → `{ value }`. */
const wrapSingleObjects: Rule<Json, BodyContext> = {
  name: 'wrapSingleObjects',
  apply: (body, ctx) => mapAttributes(body, ctx, wrapMultiValued),
};

const coerceStringBooleans: Rule<Json, BodyContext> = {
  name: 'coerceStringBooleans',
  apply: (body, ctx) => mapAttributes(body, ctx, coerceBooleans),
};

const canonicalValueCase: Rule<Json, BodyContext> = {
  name: 'canonicalValueCase',
  apply: (body, ctx) => mapAttributes(body, ctx, canonicalCase),
};

const dropNullsAndEmptyStrings: Rule<Json, BodyContext> = {
  name: 'dropNullsAndEmptyStrings',
  apply(body, ctx) {
    const pruned = mapAttributes(body, ctx, prune);
    // extension objects emptied by pruning, and nulls under keys no schema knows
    return omit(pruned, (key) => pruned[key] === null || pruned[key] === '' || (isPlainObject(pruned[key]) && looksLikeSchemaUri(key) && Object.keys(pruned[key] as Json).length === 0));
  },
};

const dedupeMembers: Rule<Json, BodyContext> = {
  name: 'dedupeMembers',
  apply: (body, ctx) => (ctx.type === 'Group' ? mapAttributes(body, ctx, (attribute, value) => (attribute.name === 'members' ? dedupeByValue(value) : value)) : body),
};

/** `schemas` = the core URN plus each known extension actually present; unknown/typo'd URNs dropped. */
const normalizeSchemas: Rule<Json, BodyContext> = {
  name: 'normalizeSchemas',
  apply(body, ctx) {
    const info = resourceInfo(ctx.type);
    // a body naming another resource type's core schema (a Group posted to /Users) stays wrong
    const other = resourceInfo(ctx.type === 'User' ? 'Group' : 'User').core.urn.toLowerCase();
    const sent = Array.isArray(body.schemas) ? body.schemas.map((urn) => String(urn).toLowerCase()) : [];
    if (sent.includes(other) && !sent.includes(info.core.urn.toLowerCase())) return body;
    const present = info.extensions.filter((extension) => isPlainObject(body[extension.urn])).map((extension) => extension.urn);
    const { schemas: _sent, ...rest } = body;
    return { schemas: [info.core.urn, ...present], ...rest };
  },
};

/** Order matters: shapes are fixed before values are coerced, pruning runs after both. */
export const BODY_RULES: readonly Rule<Json, BodyContext>[] = [
  dropIdAndMeta,
  dropReadOnlyAttributes,
  canonicalizeSchemaKeys,
  normalizeManagerShape,
  wrapSingleObjects,
  coerceStringBooleans,
  canonicalValueCase,
  dropNullsAndEmptyStrings,
  dedupeMembers,
  normalizeSchemas,
];
