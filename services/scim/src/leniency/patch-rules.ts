import { isManager, normalizeManager } from './manager.ts';
import { formatPath, parsePath, targetOf } from './paths.ts';
import type { PatchContext, PatchMessage, PatchOperation } from './patch-types.ts';
import { PATCH_OP_URN } from './schema-info.ts';
import { canonicalCase, coerceBooleans, isPlainObject, prune, wrapMultiValued } from './values.ts';
import { expandNoPathOperation, flattenComplexReplace } from './patch-expand.ts';
import { dedupeMemberValues, splitMemberRemovals } from './patch-members.ts';
import { mapOps, type PatchRule } from './patch-ops.ts';

/** Applies `fn` to operations whose path resolves to a known attribute. */
function mapTargeted(patch: PatchMessage, ctx: PatchContext, fn: (op: PatchOperation, parsed: NonNullable<ReturnType<typeof parsePath>>) => PatchOperation | PatchOperation[]): PatchMessage {
  return mapOps(patch, (op) => {
    const parsed = op.path === undefined ? undefined : parsePath(ctx.type, op.path);
    return parsed ? fn(op, parsed) : op;
  });
}

/** `op: "Replace"` (Entra) → `replace`. */
const lowercaseOp: PatchRule = {
  name: 'lowercaseOp',
  apply: (patch) => mapOps(patch, (op) => (typeof op.op === 'string' ? { ...op, op: op.op.toLowerCase() } : op)),
};

/** Value objects carrying `schemas`/`meta` (whole-resource templates) → those keys dropped. */
const dropSchemasAndMetaFromValues: PatchRule = {
  name: 'dropSchemasAndMetaFromValues',
  apply: (patch) =>
    mapOps(patch, (op) => {
      if (op.path !== undefined || !isPlainObject(op.value)) return op;
      const value = Object.fromEntries(Object.entries(op.value).filter(([key]) => !['schemas', 'meta'].includes(key.toLowerCase())));
      return { ...op, value };
    }),
};

/** Okta's group rename carries the group's own `id`: dropped when it equals the target (or is null). */
const dropOwnIdFromValues: PatchRule = {
  name: 'dropOwnIdFromValues',
  apply: (patch, ctx) =>
    mapOps(patch, (op) => {
      if (op.path !== undefined || !isPlainObject(op.value)) return op;
      const value = Object.fromEntries(Object.entries(op.value).filter(([key, v]) => !(key.toLowerCase() === 'id' && (v === null || v === ctx.id))));
      return { ...op, value };
    }),
};

/** No-path add/replace → one operation per attribute (see patch-expand.ts). */
const expandNoPathOps: PatchRule = {
  name: 'expandNoPathOps',
  apply: (patch, ctx) => mapOps(patch, (op) => expandNoPathOperation(op, ctx.type)),
};

/** `replace name { givenName }` → `replace name.givenName` (see patch-expand.ts). */
const flattenComplexReplaces: PatchRule = {
  name: 'flattenComplexReplaces',
  apply: (patch, ctx) => mapOps(patch, (op) => flattenComplexReplace(op, ctx.type)),
};

const canonicalizePaths: PatchRule = {
  name: 'canonicalizePaths',
  apply: (patch, ctx) => mapTargeted(patch, ctx, (op, parsed) => ({ ...op, path: formatPath(ctx.type, parsed) })),
};

/** OneLogin's single-object `emails` value → array. */
const wrapSingleObjects: PatchRule = {
  name: 'wrapSingleObjects',
  apply: (patch, ctx) =>
    mapTargeted(patch, ctx, (op, parsed) =>
      op.value === undefined || parsed.filter !== undefined || parsed.sub || !parsed.attribute ? op : { ...op, value: wrapMultiValued(parsed.attribute, op.value) },
    ),
};

/** Entra without the flag: `"value": "False"` on `active`. */
const coerceStringBooleans: PatchRule = {
  name: 'coerceStringBooleans',
  apply: (patch, ctx) =>
    mapTargeted(patch, ctx, (op, parsed) => {
      const target = targetOf(parsed);
      return op.value === undefined || !target ? op : { ...op, value: coerceBooleans(target, op.value) };
    }),
};

/** `"type": "Work"` → `"work"` (scimmy's canonical values are case-sensitive). */
const canonicalValueCase: PatchRule = {
  name: 'canonicalValueCase',
  apply: (patch, ctx) =>
    mapTargeted(patch, ctx, (op, parsed) => {
      const target = targetOf(parsed);
      return op.value === undefined || !target ? op : { ...op, value: canonicalCase(target, op.value) };
    }),
};

/** Manager as a bare id or `[{ $ref, value }]` → `{ value, $ref? }`. */
const normalizeManagerValues: PatchRule = {
  name: 'normalizeManagerValues',
  apply: (patch, ctx) =>
    mapTargeted(patch, ctx, (op, parsed) =>
      op.value === undefined || parsed.sub || !isManager(parsed.attribute?.name) ? op : { ...op, value: normalizeManager(op.value) ?? null },
    ),
};

/** `null`/`""` inside values are "not set" (`$ref: null` on members, `phoneNumbers: [null]`). */
const pruneValues: PatchRule = {
  name: 'pruneValues',
  apply: (patch, ctx) =>
    mapTargeted(patch, ctx, (op, parsed) => {
      const target = targetOf(parsed);
      if (op.value === undefined || op.value === null || op.value === '' || !target) return op;
      // a filtered path without sub-attribute addresses one element, not the collection
      const attribute = parsed.filter !== undefined && !parsed.sub ? { ...target, multiValued: false } : target;
      const pruned = prune(attribute, op.value);
      // a removal's value selects what to remove: never widen it to "everything" by emptying it
      if (pruned === undefined && op.op === 'remove') return op;
      return { ...op, value: pruned ?? null };
    }),
};

/** Clearing (Entra's mandatory validator test): replace/add with `""` or `null` → remove. */
const clearingToRemove: PatchRule = {
  name: 'clearingToRemove',
  apply: (patch) =>
    mapOps(patch, (op) =>
      (op.op === 'replace' || op.op === 'add') && op.path !== undefined && (op.value === null || op.value === '') ? { op: 'remove', path: op.path } : op,
    ),
};

/**
 * Removing `emails[type eq "work"].value` would leave `{ type: "work" }`, an email without an
 * address (bodies never keep such entries): the whole matching entry is removed instead.
 */
const removeWholeEntryForValue: PatchRule = {
  name: 'removeWholeEntryForValue',
  apply: (patch, ctx) =>
    mapTargeted(patch, ctx, (op, parsed) =>
      op.op === 'remove' && parsed.filter !== undefined && parsed.sub?.name === 'value' && parsed.attribute?.multiValued
        ? { op: 'remove', path: formatPath(ctx.type, { ...parsed, sub: undefined }) }
        : op,
    ),
};

/** Message envelope: the PatchOp URN as the only schema; `operations` spelled `Operations`. */
export function normalizeEnvelope(body: unknown): PatchMessage {
  const message = isPlainObject(body) ? body : {};
  const operations = message.Operations ?? message.operations;
  const { operations: _lower, ...rest } = message;
  return {
    ...rest,
    schemas: [PATCH_OP_URN],
    Operations: Array.isArray(operations) ? (operations as PatchOperation[]) : [],
  };
}

/** Order matters: expansion first (later rules see one path per op), clearing after value shaping. */
export const PATCH_RULES: readonly PatchRule[] = [
  lowercaseOp,
  dropSchemasAndMetaFromValues,
  dropOwnIdFromValues,
  expandNoPathOps,
  flattenComplexReplaces,
  canonicalizePaths,
  wrapSingleObjects,
  coerceStringBooleans,
  canonicalValueCase,
  normalizeManagerValues,
  pruneValues,
  clearingToRemove,
  removeWholeEntryForValue,
  dedupeMemberValues,
  splitMemberRemovals,
];
