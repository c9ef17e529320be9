/**
 * Parsed SCIM filter (RFC 7644 §3.4.2.2). Attribute paths stay as written (URN prefix, dotted
 * sub-attribute); they are resolved against the resource schema later, so the parser knows nothing
 * about User or Group.
 */
export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

export type Literal = string | number | boolean | null;

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'present'; path: string }
  | { kind: 'compare'; path: string; op: CompareOp; value: Literal }
  /**
   * `emails[type eq "work"]`: `filter` is evaluated against one element of the (multi-valued or
   * complex) attribute at `path`; paths inside it are sub-attribute names. The Entra form
   * `emails[type eq "work"].value eq "x"` becomes a value path whose filter also compares `value`,
   * so both conditions hold for the same element.
   */
  | { kind: 'valuePath'; path: string; filter: FilterNode };

export const COMPARE_OPS: ReadonlySet<string> = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
