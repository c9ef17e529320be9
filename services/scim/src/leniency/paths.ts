import type { ResourceType } from '../store/port.ts';
import { resourceInfo, type AttributeInfo, type SchemaInfo } from './schema-info.ts';

/**
 * A PATCH path resolved against the schema: `[urn:]attribute[[filter]][.sub]` (RFC 7644 §3.5.2).
 * Rules use it to ask "does this path target `active`?" independent of case and URN prefix.
 */
export interface ParsedPath {
  schema: SchemaInfo;
  /** absent when the path is a whole schema (`urn:…:enterprise:2.0:User`) */
  attribute?: AttributeInfo;
  /** text inside `[...]`, e.g. `type eq "work"` */
  filter?: string;
  /** sub-attribute after the dot, e.g. `givenName` in `name.givenName` */
  sub?: AttributeInfo;
}

const ATTRIBUTE_PATH = /^([A-Za-z_$][\w$-]*)(?:\[(.*)\])?(?:\.([A-Za-z_$][\w$-]*))?$/s;

function splitUrn(type: ResourceType, path: string): { schema: SchemaInfo; rest: string } | undefined {
  if (!/^urn:/i.test(path)) return { schema: resourceInfo(type).core, rest: path };
  const info = resourceInfo(type);
  for (const schema of [info.core, ...info.extensions]) {
    const prefix = schema.urn.toLowerCase();
    const lower = path.toLowerCase();
    if (lower === prefix) return { schema, rest: '' };
    if (lower.startsWith(`${prefix}:`)) return { schema, rest: path.slice(prefix.length + 1) };
  }
  return undefined;
}

/** Resolves `path`; undefined for unknown schemas or attributes (left for the validator to reject). */
export function parsePath(type: ResourceType, path: string): ParsedPath | undefined {
  const split = splitUrn(type, path.trim());
  if (!split) return undefined;
  if (split.rest === '') return { schema: split.schema };
  const match = ATTRIBUTE_PATH.exec(split.rest);
  if (!match) return undefined;
  const [, name, filter, subName] = match;
  const attribute = split.schema.attributes.get(name.toLowerCase());
  if (!attribute) return undefined;
  const sub = subName === undefined ? undefined : attribute.sub.get(subName.toLowerCase());
  if (subName !== undefined && !sub) return undefined;
  return { schema: split.schema, attribute, filter, sub };
}

/** Canonical spelling: core attributes bare, extension attributes URN-qualified. */
export function formatPath(type: ResourceType, parsed: ParsedPath): string {
  const isCore = parsed.schema === resourceInfo(type).core;
  if (!parsed.attribute) return parsed.schema.urn;
  const filter = parsed.filter === undefined ? '' : `[${parsed.filter}]`;
  const sub = parsed.sub ? `.${parsed.sub.name}` : '';
  return `${isCore ? '' : `${parsed.schema.urn}:`}${parsed.attribute.name}${filter}${sub}`;
}

/** The attribute a path finally lands on (sub-attribute if any), or undefined for a whole extension. */
export function targetOf(parsed: ParsedPath): AttributeInfo | undefined {
  return parsed.sub ?? parsed.attribute;
}

/** Keys naming a schema: URNs, and Microsoft's `http://schemas.microsoft.com/…` schema ids. */
export function looksLikeSchemaUri(key: string): boolean {
  return /^(urn:|https?:\/\/)/i.test(key);
}
