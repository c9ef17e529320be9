import { isDeepStrictEqual } from 'node:util';

/**
 * One leniency rule: a small named pure function. Rules live in ordered lists (body-rules.ts,
 * patch-rules.ts) so the whole layer reads top to bottom; the runner records which ones fired.
 */
export interface Rule<T, C> {
  name: string;
  apply(input: T, ctx: C): T;
}

export function runRules<T, C>(rules: readonly Rule<T, C>[], input: T, ctx: C, notes: string[]): T {
  let current = input;
  for (const rule of rules) {
    const next = rule.apply(current, ctx);
    if (!isDeepStrictEqual(next, current)) notes.push(rule.name);
    current = next;
  }
  return current;
}
