import { isPlainObject, type Json } from './values.ts';

/**
 * Enterprise `manager` arrives as a bare id (Entra PATCH), `{ value }` (RFC), `{ managerId }`
 * (the 2.0 draft, old Entra) or `[{ "$ref": …, "value": … }]` (older Entra). All become the RFC
 * form `{ value, $ref?, displayName? }`; a manager without an id (`""`, `null`, `{ value: "" }`)
 * means "no manager" → undefined.
 */
export function normalizeManager(value: unknown): unknown {
  if (value === null || value === '') return undefined;
  if (typeof value === 'string') return { value };
  if (Array.isArray(value)) {
    const first = value.find((item) => item !== null && item !== '');
    return first === undefined ? undefined : normalizeManager(first);
  }
  if (!isPlainObject(value)) return value;
  const out: Json = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'managerId' || child === null || child === '') continue;
    out[key] = child;
  }
  if (out.value === undefined && typeof value.managerId === 'string' && value.managerId !== '') out.value = value.managerId;
  return out.value === undefined ? undefined : out;
}

export function isManager(attributeName: string | undefined): boolean {
  return attributeName?.toLowerCase() === 'manager';
}
