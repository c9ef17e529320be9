/** One problem in a policy file, located by a path such as `rules[2].grant.maxRunning`. */
export interface PolicyIssue {
  path: string;
  message: string;
}

/**
 * A policy file that cannot be used. Carries every problem found, not just the first, so an
 * operator fixes the file in one round (fastify-style config validation).
 */
export class PolicyError extends Error {
  readonly code = 'FFGATE_POLICY_INVALID';
  readonly source: string;
  readonly issues: readonly PolicyIssue[];
  constructor(source: string, issues: PolicyIssue[], options?: { cause?: unknown }) {
    const lines = issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`).join('\n');
    super(`invalid policy ${source} (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines}`, options);
    this.name = 'PolicyError';
    this.source = source;
    this.issues = issues;
  }
}

/** `['rules', 2, 'grant', 'maxRunning']` → `rules[2].grant.maxRunning` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
