import { sql, type SQL } from 'drizzle-orm';
import type { ResourceType } from '../store/port.ts';
import { InvalidFilterError } from './errors.ts';
import type { CompareOp, FilterNode, Literal } from './filter/ast.ts';
import { resolvePath } from './resolve-path.ts';
import { findAttribute, type AttributeDef } from './schema-definitions.ts';
import { compareScalar, presentScalar, type Scalar } from './sql/scalar.ts';
import { targetFor, type ElementScope, type Target } from './sql/targets.ts';

/**
 * Filter AST → SQL boolean. A comparison with a missing attribute is NULL; outside `not` that is
 * the same as false (WHERE and EXISTS drop NULL rows; and/or are monotone), so leaves stay bare and
 * indexable (`lower(user_name) = lower($1)` uses the unique index). `not` wraps its operand in
 * coalesce(…, false): a missing attribute never hides a row from `not (…)`, which equals
 * evaluating every missing comparison as false.
 *
 * Semantics chosen where RFC 7644 leaves room:
 * - `ne`: NOT (eq). A missing attribute is "not equal"; for a multi-valued attribute `ne` holds
 *   when no value equals (`emails.value ne "x"`: no email is x), not when some other value differs.
 * - `eq null` ≡ not present, `ne null` ≡ present; other operators with null are refused.
 * - a multi-valued attribute named without sub-attribute (`emails co "x"`) means its `value`.
 */
const fail = (message: string) => new InvalidFilterError(message);

export function compileFilter(type: ResourceType, node: FilterNode): SQL {
  switch (node.kind) {
    case 'and':
      return sql`(${compileFilter(type, node.left)} and ${compileFilter(type, node.right)})`;
    case 'or':
      return sql`(${compileFilter(type, node.left)} or ${compileFilter(type, node.right)})`;
    case 'not':
      return sql`(not coalesce(${compileFilter(type, node.operand)}, false))`;
    case 'valuePath':
      return valuePath(type, node.path, node.filter);
    default:
      return attributeLeaf(type, node.path, node.kind === 'present' ? 'pr' : node.op, node.kind === 'present' ? null : node.value);
  }
}

function resolveTarget(type: ResourceType, path: string): { target: Target; sub?: AttributeDef } {
  const resolved = resolvePath(type, path);
  if (resolved === undefined) throw new InvalidFilterError(`unknown attribute "${path}"`);
  return { target: targetFor(type, resolved, fail), sub: resolved.sub };
}

function attributeLeaf(type: ResourceType, path: string, op: CompareOp | 'pr', value: Literal): SQL {
  const { target, sub } = resolveTarget(type, path);
  if (target.kind === 'scalar') return scalarLeaf(target.scalar, op, value);
  if (sub === undefined && op === 'pr') return target.present;
  if (target.kind === 'complex') {
    if (sub === undefined) throw new InvalidFilterError(`"${target.name}" is complex: name a sub-attribute (e.g. ${target.name}.${target.def.subAttributes[0]?.name})`);
    return scalarLeaf(target.element(sub), op, value);
  }
  // multi-valued: without a sub-attribute the filter means the element's `value`
  const subAttribute = sub ?? findAttribute(target.def.subAttributes, 'value');
  if (subAttribute === undefined) throw new InvalidFilterError(`"${target.name}" has no "value": name a sub-attribute`);
  if (op === 'ne') return sql`(not ${multiLeaf(target, subAttribute, 'eq', value)})`;
  return multiLeaf(target, subAttribute, op, value);
}

function multiLeaf(target: Extract<Target, { kind: 'multi' }>, sub: AttributeDef, op: CompareOp | 'pr', value: Literal): SQL {
  // `emails.value eq null`: no element has a value (an element without one does not make it true)
  if (value === null && op === 'eq') return sql`(not ${target.exists((el) => presentScalar(el(sub)))})`;
  return target.exists((el) => scalarLeaf(el(sub), op, value));
}

/** `pr`, `eq`…`le` on one value; NULL when the attribute is missing (see the note at the top). */
function scalarLeaf(scalar: Scalar, op: CompareOp | 'pr', value: Literal): SQL {
  if (op === 'pr') return presentScalar(scalar);
  if (value === null) {
    if (op === 'eq') return sql`(not ${presentScalar(scalar)})`;
    if (op === 'ne') return presentScalar(scalar);
    throw new InvalidFilterError(`"${scalar.name}" cannot be compared with null using ${op}`);
  }
  if (op === 'ne') return sql`(not coalesce(${compareScalar(scalar, 'eq', value)}, false))`;
  return compareScalar(scalar, op, value);
}

/** `emails[type eq "work" and value co "@x"]`: all conditions hold for the same element. */
function valuePath(type: ResourceType, path: string, filter: FilterNode): SQL {
  const { target, sub } = resolveTarget(type, path);
  if (target.kind === 'scalar' || sub !== undefined) throw new InvalidFilterError(`"${path}" is not a complex attribute: [ ] filters need one`);
  if (target.kind === 'complex') return elementFilter(target.name, target.def, target.element, filter);
  return target.exists((element) => elementFilter(target.name, target.def, element, filter));
}

function elementFilter(parent: string, def: AttributeDef, element: ElementScope, node: FilterNode): SQL {
  switch (node.kind) {
    case 'and':
      return sql`(${elementFilter(parent, def, element, node.left)} and ${elementFilter(parent, def, element, node.right)})`;
    case 'or':
      return sql`(${elementFilter(parent, def, element, node.left)} or ${elementFilter(parent, def, element, node.right)})`;
    case 'not':
      return sql`(not coalesce(${elementFilter(parent, def, element, node.operand)}, false))`;
    case 'valuePath':
      throw new InvalidFilterError(`nested value filter inside "${parent}[...]"`);
    default: {
      const sub = findAttribute(def.subAttributes, node.path);
      if (sub === undefined) throw new InvalidFilterError(`unknown attribute "${parent}.${node.path}"`);
      return scalarLeaf(element(sub), node.kind === 'present' ? 'pr' : node.op, node.kind === 'present' ? null : node.value);
    }
  }
}
