import { parsePath } from './paths.ts';
import type { PatchContext } from './patch-types.ts';
import { mapOps, type PatchRule } from './patch-ops.ts';
import { dedupeByValue, isPlainObject, type Json } from './values.ts';

/** Group membership operations: Entra's `$ref: null` adds and flag-less removals. */

const isMembers = (path: string | undefined, ctx: PatchContext): boolean => {
  if (ctx.type !== 'Group' || path === undefined) return false;
  const parsed = parsePath(ctx.type, path);
  return parsed?.attribute?.name === 'members' && parsed.filter === undefined && !parsed.sub;
};

/** Entra: several members in one add, sometimes repeated. */
export const dedupeMemberValues: PatchRule = {
  name: 'dedupeMemberValues',
  apply: (patch, ctx) => mapOps(patch, (op) => (isMembers(op.path, ctx) && Array.isArray(op.value) ? { ...op, value: dedupeByValue(op.value) } : op)),
};

/**
 * Entra without the flag removes members with `path: "members", value: [{ value }]`. Rewritten
 * to one `members[value eq "<id>"]` removal per listed member, so no reading of the operation
 * can empty the group; an empty list removes nothing and is dropped.
 */
export const splitMemberRemovals: PatchRule = {
  name: 'splitMemberRemovals',
  apply: (patch, ctx) =>
    mapOps(patch, (op) => {
      if (op.op !== 'remove' || op.value === undefined || !isMembers(op.path, ctx)) return op;
      const listed = (Array.isArray(op.value) ? op.value : [op.value]).filter((m): m is Json => isPlainObject(m) && typeof m.value === 'string' && m.value !== '');
      return listed.map((member) => ({ op: 'remove', path: `members[value eq ${JSON.stringify(member.value)}]` }));
    }),
};

