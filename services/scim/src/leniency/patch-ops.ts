import type { PatchContext, PatchMessage, PatchOperation } from './patch-types.ts';
import type { Rule } from './rules.ts';
import { isPlainObject } from './values.ts';

export type PatchRule = Rule<PatchMessage, PatchContext>;

// malformed operations (not objects) pass through untouched for the validator to reject
export const mapOps = (patch: PatchMessage, fn: (op: PatchOperation) => PatchOperation | PatchOperation[]): PatchMessage => ({
  ...patch,
  Operations: patch.Operations.flatMap((op) => (isPlainObject(op) ? fn(op) : [op])),
});

