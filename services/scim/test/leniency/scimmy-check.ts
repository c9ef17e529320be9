import SCIMMY from 'scimmy';
import { applyPatchLeniencyWithCurrent, isEmptyPatch, normalizePatch, normalizeResourceBody } from '../../src/leniency/index.ts';
import type { ResourceType } from '../../src/store/port.ts';
import { ENTERPRISE } from './idp-fixtures.ts';

/**
 * Runs normalised output through scimmy 1.3.5 exactly as the HTTP layer will: resource bodies
 * through `new Schemas.X(body, "in")` (what `Resources.X#write` does), PATCH messages through
 * `new Messages.PatchOp(message).apply(new Schemas.X(current, "out"))` (what `Resources.X#patch` does).
 */

type Json = Record<string, unknown>;

// The service declares the enterprise extension on User; do the same (once per test module).
const definition = SCIMMY.Schemas.User.definition as unknown as { attributes: { id?: string }[] };
if (!definition.attributes.some((attribute) => attribute.id === ENTERPRISE)) SCIMMY.Resources.User.extend(SCIMMY.Schemas.EnterpriseUser, false);

const schemaClass = (type: ResourceType) => (type === 'User' ? SCIMMY.Schemas.User : SCIMMY.Schemas.Group);
const plain = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;

/** Normalises a POST/PUT body and validates it inbound; throws scimmy's error if rejected. */
export function validatedBody(type: ResourceType, body: unknown, method: 'POST' | 'PUT' = 'POST'): { body: Json; notes: string[]; validated: Json } {
  const result = normalizeResourceBody(type, body, { method });
  const validated = plain(new (schemaClass(type))(result.body as Json, 'in'));
  return { body: result.body as Json, notes: result.notes, validated };
}

/** Full PATCH pipeline: request-level leniency, current-aware leniency, then scimmy's apply. */
export async function patchedWithScimmy(type: ResourceType, id: string, current: Json, body: unknown): Promise<{ resource: Json; operations: unknown[]; notes: string[] }> {
  const first = normalizePatch(type, body, { id });
  const second = applyPatchLeniencyWithCurrent(type, first.patch, current);
  const notes = [...first.notes, ...second.notes];
  if (isEmptyPatch(second.patch)) return { resource: current, operations: [], notes };
  const Schema = schemaClass(type);
  const source = new Schema({ ...current, id }, 'out');
  const patched = await new SCIMMY.Messages.PatchOp(second.patch as unknown as ConstructorParameters<typeof SCIMMY.Messages.PatchOp>[0]).apply(source);
  return { resource: patched ? plain(patched) : plain(source), operations: second.patch.Operations, notes };
}

/** No `null` anywhere: what Entra's validator demands of stored and returned values. */
export function containsNull(value: unknown): boolean {
  if (value === null) return true;
  if (Array.isArray(value)) return value.some(containsNull);
  if (typeof value === 'object') return Object.values(value as Json).some(containsNull);
  return false;
}
