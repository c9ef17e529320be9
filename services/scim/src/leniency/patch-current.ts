import type { ResourceType } from '../store/port.ts';
import { elementFrom, matchesAll, parseEqConjunction } from './eq-filter.ts';
import { formatPath, parsePath, type ParsedPath } from './paths.ts';
import type { PatchMessage, PatchOperation } from './patch-types.ts';
import type { AttributeInfo } from './schema-info.ts';
import { canonicalCase, isPlainObject, type Json } from './values.ts';

/**
 * Leniency that needs the resource as it is now. Run it inside the store's `update` mutate
 * callback (where `current` is known, under the row lock), after `normalizePatch`.
 *
 * The operations are walked in order against a running view of each multi-valued attribute, so
 * an earlier operation of the same PATCH counts (add a member, then remove it).
 */

interface Step {
  op: PatchOperation;
  parsed: ParsedPath & { attribute: AttributeInfo };
  items: unknown[];
}
type Outcome = { ops: PatchOperation[]; items: unknown[]; note?: string };

function lookup(object: Json, key: string): unknown {
  const wanted = key.toLowerCase();
  return Object.entries(object).find(([name]) => name.toLowerCase() === wanted)?.[1];
}

/** Entra: `emails[type eq "work"].value` replaced while no work email exists → add one. */
function createMissingFilteredValue({ op, parsed, items }: Step, comparisons: ReturnType<typeof parseEqConjunction> & object, type: ResourceType): Outcome {
  const { attribute, sub } = parsed;
  const sent = { ...elementFrom(comparisons, attribute), ...(sub ? { [sub.name]: op.value } : isPlainObject(op.value) ? op.value : {}) };
  const element = canonicalCase({ ...attribute, multiValued: false }, sent) as Json;
  const path = formatPath(type, { schema: parsed.schema, attribute });
  return { ops: [{ op: 'add', path, value: [element] }], items: [...items, element], note: 'createMissingFilteredValue' };
}

function filtered(step: Step, type: ResourceType): Outcome {
  const { op, parsed, items } = step;
  const comparisons = parseEqConjunction(parsed.filter ?? '');
  if (!comparisons) return { ops: [op], items };
  const matching = items.filter((item) => matchesAll(item, comparisons, parsed.attribute));
  if (op.op === 'remove') {
    // Okta removes non-members; a removal that matches nothing is a success, not an error
    if (matching.length === 0) return { ops: [], items, note: 'dropRemovalMatchingNothing' };
    return { ops: [op], items: parsed.sub ? items : items.filter((item) => !matching.includes(item)) };
  }
  if (matching.length === 0) return createMissingFilteredValue(step, comparisons, type);
  return { ops: [op], items };
}

/** Entra/Okta: adding someone who already is a member must not duplicate them. */
function dropExistingMembers({ op, items }: Step): Outcome {
  const values = Array.isArray(op.value) ? op.value : [op.value];
  const present = new Set(items.filter(isPlainObject).map((member) => member.value));
  const added = values.filter((member) => !(isPlainObject(member) && present.has(member.value)));
  const note = added.length === values.length ? undefined : 'dropExistingMembers';
  return { ops: added.length === 0 ? [] : [{ ...op, value: added }], items: [...items, ...added], note };
}

function unfiltered(step: Step): Outcome {
  const { op, parsed, items } = step;
  if (parsed.sub) return { ops: [op], items };
  const values = op.value === undefined ? [] : Array.isArray(op.value) ? op.value : [op.value];
  if (op.op === 'add' && parsed.attribute.name === 'members') return dropExistingMembers(step);
  if (op.op === 'add') return { ops: [op], items: [...items, ...values] };
  if (op.op === 'replace') return { ops: [op], items: values };
  return { ops: [op], items: op.value === undefined ? [] : items };
}

export function applyPatchLeniencyWithCurrent(type: ResourceType, patch: PatchMessage, current: Json): { patch: PatchMessage; notes: string[] } {
  const notes: string[] = [];
  const views = new Map<AttributeInfo, unknown[]>();
  const operations: PatchOperation[] = [];
  for (const op of patch.Operations) {
    const parsed = isPlainObject(op) && typeof op.path === 'string' ? parsePath(type, op.path) : undefined;
    const attribute = parsed?.attribute;
    // only core multi-valued complex attributes (emails, members, …) need the current values
    if (!parsed || !attribute || !attribute.multiValued || attribute.type !== 'complex' || parsed.schema.urn.includes(':extension:')) {
      operations.push(op);
      continue;
    }
    const stored = views.get(attribute) ?? lookup(current, attribute.name);
    const step: Step = { op, parsed: { ...parsed, attribute }, items: Array.isArray(stored) ? stored : [] };
    const outcome = parsed.filter !== undefined ? filtered(step, type) : unfiltered(step);
    operations.push(...outcome.ops);
    views.set(attribute, outcome.items);
    if (outcome.note && !notes.includes(outcome.note)) notes.push(outcome.note);
  }
  return { patch: { ...patch, Operations: operations }, notes };
}

/** A PATCH left without operations changes nothing: answer 200 with the current resource. */
export function isEmptyPatch(patch: PatchMessage): boolean {
  return patch.Operations.length === 0;
}
