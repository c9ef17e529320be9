import SCIMMY from 'scimmy';
import { scimError } from './errors.ts';

export type Projection = InstanceType<typeof SCIMMY.Types.Filter>;

/**
 * `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5) as the presence filter scimmy's
 * outbound coercion applies (`attr pr and …` keeps, `attr np and …` drops) — the same translation
 * scimmy's own Resource class does. `attributes` wins when both are given.
 * `schemas` is always kept (every representation needs it, and scimmy fails on extension data
 * without it); `id` is `returned: always` anyway.
 */
export function parseProjection(attributes: string | undefined, excludedAttributes: string | undefined): Projection | undefined {
  if (attributes !== undefined) {
    const names = splitList(attributes, 'attributes');
    return filterOf(['schemas', ...names].map((a) => `${a} pr`).join(' and '));
  }
  if (excludedAttributes !== undefined) {
    const names = splitList(excludedAttributes, 'excludedAttributes').filter((a) => !['schemas', 'id'].includes(a.toLowerCase()));
    if (names.length === 0) return undefined;
    return filterOf(names.map((a) => `${a} np`).join(' and '));
  }
  return undefined;
}

function splitList(value: string, name: string): string[] {
  const names = value.split(',').map((a) => a.trim()).filter((a) => a.length > 0);
  if (names.length === 0) throw scimError(400, 'invalidValue', `${name} must be a comma-separated list of attribute names`);
  for (const n of names) {
    // attribute paths: names, dotted sub-attributes, optionally URN-prefixed — nothing else
    if (!/^[A-Za-z0-9$:._-]+$/.test(n)) throw scimError(400, 'invalidValue', `${name}: invalid attribute name '${n}'`);
  }
  return names;
}

function filterOf(expression: string): Projection {
  try {
    return new SCIMMY.Types.Filter(expression);
  } catch (error) {
    if (error instanceof TypeError) throw scimError(400, 'invalidValue', error.message);
    throw error;
  }
}
