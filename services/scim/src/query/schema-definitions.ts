import SCIMMY from 'scimmy';
import type { ResourceType } from '../store/port.ts';

/**
 * The attribute definitions filters and sortBy are resolved against, copied from scimmy's RFC 7643
 * schemas into plain objects (scimmy's state is process-global and other code may extend it).
 */
export type AttributeType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'binary' | 'reference' | 'complex';

export interface AttributeDef {
  /** canonical spelling, as stored in the jsonb `resource` */
  name: string;
  type: AttributeType;
  multiValued: boolean;
  caseExact: boolean;
  subAttributes: AttributeDef[];
}

export interface SchemaDefs {
  urn: string;
  attributes: AttributeDef[];
}

/** Attributes every resource has: an extension schema's copy of them is not addressable by its URN. */
const COMMON = new Set(['schemas', 'id', 'externalId', 'meta']);

/**
 * Where RFC 7643 says `caseExact: false` but the value is one of our server-assigned ids, which are
 * case-exact (`id` is): `groups.value` and `members.value` compare exactly, like `id` itself.
 */
const CASE_EXACT_OVERRIDES = new Set(['groups.value', 'members.value']);

let cache: Map<ResourceType, SchemaDefs[]> | undefined;

/** The core schema first, then its extensions. */
export function schemasFor(type: ResourceType): SchemaDefs[] {
  cache ??= new Map([
    ['User', [copySchema(SCIMMY.Schemas.User.definition), copySchema(SCIMMY.Schemas.EnterpriseUser.definition, true)]],
    ['Group', [copySchema(SCIMMY.Schemas.Group.definition)]],
  ]);
  return cache.get(type)!;
}

/** Case-insensitive lookup (attribute names are case-insensitive, RFC 7643 §2.1). */
export function findAttribute(attributes: AttributeDef[], name: string): AttributeDef | undefined {
  const lower = name.toLowerCase();
  return attributes.find((a) => a.name.toLowerCase() === lower);
}

function copySchema(definition: SCIMMY.Types.SchemaDefinition, extension = false): SchemaDefs {
  const attributes = definition.attributes
    .filter((a): a is SCIMMY.Types.Attribute => a instanceof SCIMMY.Types.Attribute)
    .filter((a) => !(extension && COMMON.has(a.name)))
    .map((a) => copyAttribute(a, ''));
  return { urn: definition.id, attributes };
}

function copyAttribute(attribute: SCIMMY.Types.Attribute, parent: string): AttributeDef {
  const path = parent === '' ? attribute.name : `${parent}.${attribute.name}`;
  return {
    name: attribute.name,
    type: attribute.type as AttributeType,
    multiValued: attribute.config.multiValued === true,
    caseExact: attribute.config.caseExact === true || CASE_EXACT_OVERRIDES.has(path),
    subAttributes: (attribute.subAttributes ?? []).map((s) => copyAttribute(s, path)),
  };
}
