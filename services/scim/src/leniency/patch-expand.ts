import type { ResourceType } from '../store/port.ts';
import { isManager } from './manager.ts';
import { looksLikeSchemaUri, parsePath } from './paths.ts';
import type { PatchOperation } from './patch-types.ts';
import { isPlainObject } from './values.ts';

/**
 * A no-path `add`/`replace` sets the attributes named by its value's keys. Every such operation
 * becomes one operation per attribute, for all IdPs alike (one canonical shape for the rules
 * after this and for the patch applier):
 * - Entra with `aadOptscim062020`: keys are already paths (`name.givenName`,
 *   `urn:…:enterprise:2.0:User:employeeNumber`) → used as the path;
 * - Okta: plain keys (`{ active: false }`, `{ password }`, `{ displayName }`) → path = key;
 * - a whole extension object (`{ "urn:…:enterprise:2.0:User": { department } }`) → one path per
 *   extension attribute;
 * - a singular complex value (`{ name: { givenName } }`) → one path per sub-attribute, because
 *   RFC 7644 §3.5.2.3 leaves unmentioned sub-attributes unchanged (a path-level replace of `name`
 *   would clear them in scimmy). `manager` stays whole: its sub-attributes are one reference.
 * Unknown URN keys (Microsoft's own) are dropped, as in bodies; unknown plain keys are kept so
 * the validator reports them.
 */
/**
 * `replace` of a singular complex attribute with a path (`path: "name", value: { givenName }`)
 * → one replace per sub-attribute: RFC 7644 §3.5.2.3 leaves unmentioned sub-attributes
 * unchanged, scimmy would clear them. `manager` stays whole (see above).
 */
export function flattenComplexReplace(op: PatchOperation, type: ResourceType): PatchOperation[] | PatchOperation {
  if (op.op !== 'replace' || op.path === undefined || !isPlainObject(op.value)) return op;
  const parsed = parsePath(type, op.path);
  const attribute = parsed?.attribute;
  if (!attribute || parsed.sub || parsed.filter !== undefined || attribute.type !== 'complex' || attribute.multiValued || isManager(attribute.name)) return op;
  return Object.entries(op.value).map(([sub, value]) => ({ op: 'replace', path: `${op.path}.${sub}`, value }));
}

export function expandNoPathOperation(op: PatchOperation, type: ResourceType): PatchOperation[] | PatchOperation {
  if (op.path !== undefined || (op.op !== 'add' && op.op !== 'replace') || !isPlainObject(op.value)) return op;
  const out: PatchOperation[] = [];
  const emit = (path: string, value: unknown): void => {
    const parsed = parsePath(type, path);
    const attribute = parsed?.attribute;
    const flatten =
      attribute && !parsed.sub && parsed.filter === undefined && attribute.type === 'complex' && !attribute.multiValued && !isManager(attribute.name) && isPlainObject(value);
    if (!flatten) {
      out.push({ op: op.op, path, value });
      return;
    }
    for (const [sub, child] of Object.entries(value as Record<string, unknown>)) out.push({ op: op.op, path: `${path}.${sub}`, value: child });
  };
  for (const [key, value] of Object.entries(op.value)) {
    if (!looksLikeSchemaUri(key)) {
      emit(key, value);
      continue;
    }
    const parsed = parsePath(type, key);
    if (!parsed) continue;
    if (parsed.attribute) emit(key, value);
    else if (isPlainObject(value)) for (const [name, child] of Object.entries(value)) emit(`${parsed.schema.urn}:${name}`, child);
  }
  return out;
}
