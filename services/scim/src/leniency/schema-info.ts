import SCIMMY from 'scimmy';
import type { ResourceType } from '../store/port.ts';

/**
 * What the leniency rules need to know about an attribute, derived once from scimmy's own schema
 * definitions (scimmy 1.3.5) so the rules follow the same schema the validator enforces:
 * boolean coercion, single-object wrapping and read-only dropping all key off these facts.
 */
export interface AttributeInfo {
  /** canonical spelling, e.g. `givenName` */
  name: string;
  type: string;
  multiValued: boolean;
  /** scimmy `mutable: false` (RFC `readOnly`) */
  readOnly: boolean;
  caseExact: boolean;
  /** scimmy rejects any other value, case-sensitively (an empty list rejects every value) */
  canonicalValues?: readonly string[];
  /** sub-attributes keyed by lower-cased name */
  sub: ReadonlyMap<string, AttributeInfo>;
}

export interface SchemaInfo {
  urn: string;
  /** attributes keyed by lower-cased name */
  attributes: ReadonlyMap<string, AttributeInfo>;
}

export interface ResourceInfo {
  core: SchemaInfo;
  extensions: readonly SchemaInfo[];
}

export const PATCH_OP_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

interface ScimmyAttribute {
  name: string;
  type: unknown;
  config: { multiValued?: boolean; mutable?: boolean | string; caseExact?: boolean; canonicalValues?: unknown };
  subAttributes?: ScimmyAttribute[];
}
interface ScimmyDefinition {
  id: string;
  attributes: unknown[];
}

// `schemas`, `id`, `externalId`, `meta` are repeated in every scimmy definition; an extension's
// copies are not extension attributes.
const COMMON = new Set(['schemas', 'id', 'externalid', 'meta']);

function toInfo(attribute: ScimmyAttribute): AttributeInfo {
  const sub = new Map<string, AttributeInfo>();
  for (const child of attribute.subAttributes ?? []) sub.set(child.name.toLowerCase(), toInfo(child));
  return {
    name: attribute.name,
    type: String(attribute.type),
    multiValued: attribute.config.multiValued === true,
    readOnly: attribute.config.mutable === false,
    caseExact: attribute.config.caseExact === true,
    canonicalValues: Array.isArray(attribute.config.canonicalValues) ? attribute.config.canonicalValues.map(String) : undefined,
    sub,
  };
}

function isAttribute(value: unknown): value is ScimmyAttribute {
  return value instanceof SCIMMY.Types.Attribute;
}

function schemaInfo(definition: ScimmyDefinition, isExtension: boolean): SchemaInfo {
  const attributes = new Map<string, AttributeInfo>();
  for (const attribute of definition.attributes) {
    if (!isAttribute(attribute)) continue; // an extension mixed in by Resources.extend
    const key = attribute.name.toLowerCase();
    if (isExtension && COMMON.has(key)) continue;
    attributes.set(key, toInfo(attribute));
  }
  return { urn: definition.id, attributes };
}

const RESOURCES: Record<ResourceType, ResourceInfo> = {
  User: {
    core: schemaInfo(SCIMMY.Schemas.User.definition as unknown as ScimmyDefinition, false),
    extensions: [schemaInfo(SCIMMY.Schemas.EnterpriseUser.definition as unknown as ScimmyDefinition, true)],
  },
  Group: {
    core: schemaInfo(SCIMMY.Schemas.Group.definition as unknown as ScimmyDefinition, false),
    extensions: [],
  },
};

export function resourceInfo(type: ResourceType): ResourceInfo {
  return RESOURCES[type];
}

/** The known schema (core or extension) whose URN equals `urn`, compared case-insensitively. */
export function schemaByUrn(type: ResourceType, urn: string): SchemaInfo | undefined {
  const info = RESOURCES[type];
  const wanted = urn.toLowerCase();
  return [info.core, ...info.extensions].find((schema) => schema.urn.toLowerCase() === wanted);
}
