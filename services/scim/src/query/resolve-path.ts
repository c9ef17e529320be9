import type { ResourceType } from '../store/port.ts';
import { findAttribute, schemasFor, type AttributeDef } from './schema-definitions.ts';

/**
 * An attribute path resolved against the resource's schemas: `userName`, `name.familyName`,
 * `urn:ietf:params:scim:schemas:core:2.0:User:userName`,
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`.
 * Returns undefined for an unknown attribute; the caller picks the error class (filter vs sort).
 */
export interface ResolvedPath {
  /** URN of the schema the attribute belongs to */
  schema: string;
  /** true for an extension attribute: it lives under its URN key in the jsonb `resource` */
  extension: boolean;
  attribute: AttributeDef;
  sub?: AttributeDef;
}

export function resolvePath(type: ResourceType, path: string): ResolvedPath | undefined {
  const schemas = schemasFor(type);
  let schema = schemas[0];
  let rest = path;
  if (path.toLowerCase().startsWith('urn:')) {
    const lower = path.toLowerCase();
    const owner = schemas.find((s) => lower.startsWith(`${s.urn.toLowerCase()}:`));
    if (owner === undefined) return undefined;
    schema = owner;
    rest = path.slice(owner.urn.length + 1);
  }
  const parts = rest.split('.');
  if (parts.length > 2) return undefined;
  const attribute = findAttribute(schema.attributes, parts[0]);
  if (attribute === undefined) return undefined;
  const resolved: ResolvedPath = { schema: schema.urn, extension: schema !== schemas[0], attribute };
  if (parts.length === 2) {
    const sub = findAttribute(attribute.subAttributes, parts[1]);
    if (sub === undefined) return undefined;
    resolved.sub = sub;
  }
  return resolved;
}
