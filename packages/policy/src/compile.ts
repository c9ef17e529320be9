import { createHash } from 'node:crypto';
import { MATCH_KEYS, PolicyDocument, type MatchKey, type PolicyGrant } from './schema.ts';
import { PolicyError, formatPath, type PolicyIssue } from './errors.ts';

/** A rule ready to evaluate: match values lower-cased once, at load time. */
export interface CompiledRule {
  readonly name: string;
  readonly conditions: readonly { key: MatchKey; anyOf: ReadonlySet<string> }[];
  readonly grant: PolicyGrant;
}

/** A validated, frozen policy. `digest` identifies its content (logs, audit, change detection). */
export interface Policy {
  readonly source: string;
  readonly digest: string;
  readonly document: PolicyDocument;
  readonly rules: readonly CompiledRule[];
}

/** Validate parsed policy data; throws PolicyError listing every problem. */
export function compilePolicy(data: unknown, source: string): Policy {
  const parsed = PolicyDocument.safeParse(data);
  const issues: PolicyIssue[] = parsed.success ? [] : parsed.error.issues.flatMap(toPolicyIssues);
  issues.push(...semanticIssues(data));
  if (!parsed.success || issues.length > 0) throw new PolicyError(source, issues);

  const document = parsed.data;
  const rules = document.rules.map(
    (rule): CompiledRule => ({
      name: rule.name,
      conditions: MATCH_KEYS.flatMap((key) => {
        const value = rule.match[key];
        if (value === undefined) return [];
        const list = Array.isArray(value) ? value : [value];
        return [{ key, anyOf: new Set(list.map(normalize)) }];
      }),
      grant: rule.grant,
    }),
  );
  const digest = createHash('sha256').update(JSON.stringify(document)).digest('hex');
  return deepFreeze({ source, digest, document, rules });
}

/** Comparison form of an attribute or match value: case-insensitive, surrounding spaces ignored. */
export function normalize(value: string): string {
  return value.trim().toLowerCase();
}

function toPolicyIssues(issue: { code: string; path: PropertyKey[]; message: string; keys?: string[] }): PolicyIssue[] {
  if (issue.code === 'unrecognized_keys' && issue.keys) {
    const known = issue.path.at(-1) === 'match' ? ` (known: ${MATCH_KEYS.join(', ')})` : '';
    return issue.keys.map((k) => ({ path: formatPath([...issue.path, k]), message: `unknown key${known}` }));
  }
  return [{ path: formatPath(issue.path), message: issue.message }];
}

/** Checks zod's shape cannot express; tolerant of a malformed document so they add to its issues. */
function semanticIssues(data: unknown): PolicyIssue[] {
  const rules = (data as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules)) return [];
  const issues: PolicyIssue[] = [];
  const seen = new Map<string, number>();
  rules.forEach((rule: { name?: unknown; match?: unknown } | null, i) => {
    if (rule && typeof rule.name === 'string') {
      const first = seen.get(rule.name);
      if (first !== undefined) issues.push({ path: `rules[${i}].name`, message: `duplicate rule name (also rules[${first}])` });
      else seen.set(rule.name, i);
    }
    const match = rule?.match;
    if (match && typeof match === 'object' && !Array.isArray(match) && Object.keys(match).length === 0) {
      issues.push({ path: `rules[${i}].match`, message: 'matches nothing: name at least one attribute (use defaults for everyone)' });
    }
  });
  return issues;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
