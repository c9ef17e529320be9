import type { AttributeInfo } from './schema-info.ts';
import { isPlainObject } from './values.ts';

/** One `attr eq literal` comparison of a value filter such as `type eq "work" and primary eq true`. */
export interface EqComparison {
  attribute: string;
  value: string | number | boolean | null;
}

const COMPARISON = /\s*([A-Za-z_$][\w$]*)\s+eq\s+("(?:[^"\\]|\\.)*"|true|false|null|-?\d+(?:\.\d+)?)\s*/iy;
const AND = /and\b/iy;

/**
 * Parses a value filter made only of `eq` comparisons joined by `and` (all Entra and Okta send
 * inside brackets); anything else → undefined, and callers leave the operation alone.
 */
export function parseEqConjunction(filter: string): EqComparison[] | undefined {
  const comparisons: EqComparison[] = [];
  let position = 0;
  for (;;) {
    COMPARISON.lastIndex = position;
    const match = COMPARISON.exec(filter);
    if (!match) return undefined;
    const literal = match[2];
    const value = literal.startsWith('"') ? (JSON.parse(literal) as string) : (JSON.parse(literal.toLowerCase()) as number | boolean | null);
    comparisons.push({ attribute: match[1], value });
    position = COMPARISON.lastIndex;
    if (position === filter.length) return comparisons;
    AND.lastIndex = position;
    if (!AND.exec(filter)) return undefined;
    position = AND.lastIndex;
  }
}

function lookup(object: Record<string, unknown>, key: string): unknown {
  const wanted = key.toLowerCase();
  return Object.entries(object).find(([name]) => name.toLowerCase() === wanted)?.[1];
}

/** Does `element` satisfy every comparison? Strings compare case-insensitively unless caseExact. */
export function matchesAll(element: unknown, comparisons: EqComparison[], attribute: AttributeInfo): boolean {
  if (!isPlainObject(element)) return false;
  return comparisons.every(({ attribute: name, value }) => {
    const actual = lookup(element, name);
    const caseExact = attribute.sub.get(name.toLowerCase())?.caseExact ?? false;
    if (typeof actual === 'string' && typeof value === 'string' && !caseExact) return actual.toLowerCase() === value.toLowerCase();
    return actual === value || (value === false && actual === undefined && name.toLowerCase() === 'primary');
  });
}

/** The element a filter describes, for creating it: `type eq "work"` → `{ type: "work" }`. */
export function elementFrom(comparisons: EqComparison[], attribute: AttributeInfo): Record<string, unknown> {
  const element: Record<string, unknown> = {};
  for (const { attribute: name, value } of comparisons) element[attribute.sub.get(name.toLowerCase())?.name ?? name] = value;
  return element;
}
