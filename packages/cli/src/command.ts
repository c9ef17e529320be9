import type { ParseArgsConfig } from 'node:util';
import type { AdminClient } from './admin-client.ts';

/** The services with an admin API, each possibly on its own URL in the distributed shape. */
export type AdminService = 'scim' | 'token' | 'gateway';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandContext {
  /** Positional arguments after the command path (`revoke <id>` → [id]). */
  args: string[];
  values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  env: Record<string, string | undefined>;
  /**
   * The admin API of `service` (default `scim`), created lazily so usage errors need no token.
   * URL: `--url`, else the service's own variable (FFGATE_TOKEN_ADMIN_URL, FFGATE_GATEWAY_URL),
   * else FFGATE_URL (the all-in-one serves every admin API on one port), else the default.
   */
  client(service?: AdminService): AdminClient;
  out(line: string): void;
  err(line: string): void;
}

/**
 * One CLI subcommand. `path` is the words that select it (`['scim-connections', 'create']`,
 * later `['admin', 'client', 'create']`, `['audit', 'verify']`); add a command by adding an entry
 * to the table in commands/index.ts.
 */
export interface Command {
  path: readonly string[];
  /** Positional arguments shown in help, e.g. `<name>`. */
  usage: string;
  summary: string;
  /** Exact number of positional arguments the command takes. */
  arity: number;
  options?: OptionSpec;
  run(ctx: CommandContext): Promise<number | void>;
}

/** Thrown for a usage problem: exit code 2 with the message and help. */
export class UsageError extends Error {
  readonly code = 'FFGATE_CLI_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
