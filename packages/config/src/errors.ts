/** One problem with one environment variable. */
export interface ConfigIssue {
  key: string;
  message: string;
}

/**
 * Thrown by a config loader when any key is invalid. It carries every problem found, not just
 * the first, so an operator fixes a deployment in one round trip (fastify's initial-config check).
 */
export class ConfigError extends Error {
  readonly code = 'FFGATE_CONFIG_INVALID';
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], options?: { cause?: unknown }) {
    super(
      `Invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((issue) => `  - ${issue.key}: ${issue.message}`).join('\n'),
      options,
    );
    this.name = 'ConfigError';
    this.issues = Object.freeze(issues.map((issue) => Object.freeze({ ...issue })));
  }
}
