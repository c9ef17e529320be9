import { sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { groupMembers, groups, users } from '../../store/schema.ts';
import type { ResourceType } from '../../store/port.ts';
import type { AttributeDef } from '../schema-definitions.ts';
import type { ResolvedPath } from '../resolve-path.ts';
import type { Scalar } from './scalar.ts';

/**
 * Where a top-level attribute lives in SQL:
 * - `scalar`: a column, a jsonb value or a constant;
 * - `complex`: a singular complex attribute (name, meta, manager) whose sub-attributes are scalars;
 * - `multi`: a multi-valued complex attribute (emails, groups, members), filtered element by element
 *   with EXISTS, either over a jsonb array or over the membership tables.
 * `fail` builds the error for attributes that cannot be queried (filter vs sort decide its class).
 */
export type ElementScope = (sub: AttributeDef) => Scalar;

export type Target =
  | { kind: 'scalar'; scalar: Scalar }
  | { kind: 'complex'; name: string; def: AttributeDef; element: ElementScope; present: SQL }
  | {
      kind: 'multi';
      name: string;
      def: AttributeDef;
      /** EXISTS an element for which `condition` holds */
      exists(condition: (element: ElementScope) => SQL): SQL;
      present: SQL;
      /** the value to sort by: the primary element's, else the first one's; undefined when unsortable */
      sortScalar?: (sub: AttributeDef) => Scalar;
    };

export type Fail = (message: string) => Error;

const gm = alias(groupMembers, 'gm');
const g = alias(groups, 'g');
const u = alias(users, 'u');

/** The member display the store returns: displayName, else userName (see store/membership-queries.ts). */
const memberDisplay = sql`coalesce(nullif(${u.resource} ->> 'displayName', ''), ${u.userName})`;

export function targetFor(type: ResourceType, path: ResolvedPath, fail: Fail): Target {
  const def = path.attribute;
  if (path.extension) return jsonTarget(sql`(${table(type).resource} -> ${key(path.schema)})`, def, `${path.schema}:${def.name}`);
  const name = def.name;
  switch (name) {
    case 'id':
      return column(def, table(type).id);
    case 'externalId':
      return column(def, table(type).externalId);
    case 'meta':
      return metaTarget(type, def, fail);
    case 'password':
      throw fail('"password" cannot be queried');
    case 'schemas':
      // the store does not promise to keep `schemas` in the jsonb; resources are found by endpoint
      throw fail('"schemas" cannot be queried');
  }
  if (type === 'User') {
    if (name === 'userName') return column(def, users.userName);
    if (name === 'active') return column(def, users.active);
    if (name === 'groups') return groupsOfUser(def, fail);
  } else {
    if (name === 'displayName') return column(def, groups.displayName);
    if (name === 'members') return membersOfGroup(def, fail);
  }
  return jsonTarget(table(type).resource, def, name);
}

function table(type: ResourceType) {
  return type === 'User' ? users : groups;
}

function column(def: AttributeDef, expr: unknown, name = def.name): Target {
  return { kind: 'scalar', scalar: columnScalar(def, expr, name) };
}

function columnScalar(def: AttributeDef, expr: unknown, name: string): Scalar {
  return { name, type: scalarType(def), caseExact: def.caseExact, source: 'column', expr: sql`${expr}` };
}

function constant(def: AttributeDef, value: string, name: string): Scalar {
  return { name, type: scalarType(def), caseExact: def.caseExact, source: 'constant', expr: sql`${value}::text` };
}

function scalarType(def: AttributeDef): Scalar['type'] {
  return def.type === 'complex' ? 'string' : def.type;
}

function metaTarget(type: ResourceType, def: AttributeDef, fail: Fail): Target {
  const t = table(type);
  const element: ElementScope = (sub) => {
    const name = `meta.${sub.name}`;
    if (sub.name === 'created') return columnScalar(sub, t.created, name);
    if (sub.name === 'lastModified') return columnScalar(sub, t.lastModified, name);
    if (sub.name === 'resourceType') return constant(sub, type, name);
    throw fail(`"${name}" cannot be queried`);
  };
  return { kind: 'complex', name: 'meta', def, element, present: sql`true` };
}

/** An attribute kept in a jsonb object (`resource`, or the extension object under its URN). */
function jsonTarget(parent: SQL | object, def: AttributeDef, name: string): Target {
  const value = sql`(${parent} -> ${key(def.name)})`;
  const json = (expr: SQL, sub: AttributeDef, subName: string): Scalar => ({
    name: subName,
    type: scalarType(sub),
    caseExact: sub.caseExact,
    source: 'json',
    expr,
  });
  if (def.type !== 'complex') return { kind: 'scalar', scalar: json(value, def, name) };
  const elementOf = (element: SQL): ElementScope => (sub) => json(sql`(${element} -> ${key(sub.name)})`, sub, `${name}.${sub.name}`);
  if (!def.multiValued) {
    return { kind: 'complex', name, def, element: elementOf(value), present: sql`coalesce(jsonb_typeof(${value}) = 'object' and ${value} <> '{}'::jsonb, false)` };
  }
  // non-array values (bad data) count as empty rather than making jsonb_array_elements raise
  const array = sql`(case when jsonb_typeof(${value}) = 'array' then ${value} else '[]'::jsonb end)`;
  const isPrimary = sql`coalesce(lower(e.value ->> 'primary') = 'true', false)`;
  return {
    kind: 'multi',
    name,
    def,
    exists: (condition) => sql`exists (select 1 from jsonb_array_elements(${array}) as e(value) where ${condition(elementOf(sql`e.value`))})`,
    present: sql`(jsonb_array_length(${array}) > 0)`,
    sortScalar: (sub) =>
      json(
        sql`(select e.value -> ${key(sub.name)} from jsonb_array_elements(${array}) with ordinality as e(value, ord) order by ${isPrimary} desc, e.ord limit 1)`,
        sub,
        `${name}.${sub.name}`,
      ),
  };
}

/** A User's `groups`: read-only, derived from group_members (RFC 7643 §4.1.2). */
function groupsOfUser(def: AttributeDef, fail: Fail): Target {
  const element: ElementScope = (sub) => {
    const name = `groups.${sub.name}`;
    if (sub.name === 'value') return columnScalar(sub, gm.groupId, name);
    if (sub.name === 'display') return columnScalar(sub, g.displayName, name);
    if (sub.name === 'type') return constant(sub, 'direct', name);
    throw fail(`"${name}" cannot be queried`);
  };
  const from = sql`${groupMembers} as ${gm} join ${groups} as ${g} on ${g.id} = ${gm.groupId} where ${gm.userId} = ${users.id}`;
  return {
    kind: 'multi',
    name: 'groups',
    def,
    exists: (condition) => sql`exists (select 1 from ${from} and ${condition(element)})`,
    present: sql`exists (select 1 from ${groupMembers} as ${gm} where ${gm.userId} = ${users.id})`,
  };
}

/** A Group's `members` (users only), with the store's member display. */
function membersOfGroup(def: AttributeDef, fail: Fail): Target {
  const element: ElementScope = (sub) => {
    const name = `members.${sub.name}`;
    if (sub.name === 'value') return columnScalar(sub, gm.userId, name);
    if (sub.name === 'display') return columnScalar(sub, memberDisplay, name);
    if (sub.name === 'type') return constant(sub, 'User', name);
    throw fail(`"${name}" cannot be queried`);
  };
  const from = sql`${groupMembers} as ${gm} join ${users} as ${u} on ${u.id} = ${gm.userId} where ${gm.groupId} = ${groups.id}`;
  return {
    kind: 'multi',
    name: 'members',
    def,
    exists: (condition) => sql`exists (select 1 from ${from} and ${condition(element)})`,
    present: sql`exists (select 1 from ${groupMembers} as ${gm} where ${gm.groupId} = ${groups.id})`,
  };
}

/**
 * A jsonb key as an SQL string literal. Keys are canonical names from the schema definitions or
 * schema URNs, never text from the request; the check makes that assumption loud.
 */
function key(name: string): SQL {
  if (!/^[A-Za-z0-9:._$-]+$/.test(name)) throw new Error(`unexpected attribute name ${JSON.stringify(name)}`);
  return sql.raw(`'${name}'`);
}
