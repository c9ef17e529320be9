import { parseArgs } from 'node:util';
import { AdminApiError, AdminClient } from './admin-client.ts';
import { UsageError } from './command.ts';
import type { AdminService, Command, CommandContext, OptionSpec } from './command.ts';
import { commands as defaultCommands } from './commands/index.ts';

export const DEFAULT_URL = 'http://127.0.0.1:8080';

const globalOptions: OptionSpec = {
  url: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export interface CliIo {
  env: Record<string, string | undefined>;
  out(line: string): void;
  err(line: string): void;
}

/** Exit codes: 0 success, 1 the API (or the network) failed, 2 usage error. */
export async function runCli(argv: readonly string[], io: CliIo, commands: readonly Command[] = defaultCommands): Promise<number> {
  let command: Command | undefined;
  try {
    const positionals = parseArgs({ args: [...argv], options: allOptions(commands), strict: false, allowPositionals: true }).positionals;
    command = findCommand(commands, positionals);
    if (!command) {
      const wantsHelp = argv.includes('--help') || argv.includes('-h');
      if (wantsHelp && positionals.length === 0) {
        io.out(helpText(commands));
        return 0;
      }
      throw new UsageError(positionals.length ? `unknown command: ${positionals.join(' ')}` : 'no command given');
    }
    const parsed = parseArgs({ args: [...argv], options: { ...globalOptions, ...command.options }, strict: true, allowPositionals: true });
    if (parsed.values.help) {
      io.out(commandHelp(command));
      return 0;
    }
    const args = parsed.positionals.slice(command.path.length);
    if (args.length !== command.arity) {
      throw new UsageError(`expected ${command.arity || 'no'} argument${command.arity === 1 ? '' : 's'}, got ${args.length}`);
    }
    const result = await command.run(context(args, parsed.values, io));
    return typeof result === 'number' ? result : 0;
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err(`ffgate: ${(error as Error).message}`);
      io.err(command ? `usage: ${commandHelp(command)}` : helpText(commands));
      return 2;
    }
    if (error instanceof AdminApiError) {
      io.err(`ffgate: ${error.message}${error.status ? ` (${error.code}, HTTP ${error.status})` : ''}`);
      return 1;
    }
    throw error;
  }
}

/** The variable naming one service's URL in the distributed shape (scim uses FFGATE_URL). */
export const SERVICE_URL_ENV: Record<AdminService, string | undefined> = {
  scim: undefined,
  token: 'FFGATE_TOKEN_ADMIN_URL',
  gateway: 'FFGATE_GATEWAY_URL',
};

/** `--url`, else the service's own variable, else FFGATE_URL, else the default; `source` names the winner. */
export function resolveServiceUrl(service: AdminService, flag: unknown, env: CliIo['env']): { url: string; source: string } {
  if (typeof flag === 'string' && flag) return { url: flag, source: '--url' };
  const own = SERVICE_URL_ENV[service];
  if (own && env[own]) return { url: env[own], source: own };
  if (env.FFGATE_URL) return { url: env.FFGATE_URL, source: 'FFGATE_URL' };
  return { url: DEFAULT_URL, source: 'the default URL' };
}

function context(args: string[], values: CommandContext['values'], io: CliIo): CommandContext {
  const clients = new Map<AdminService, AdminClient>();
  return {
    args,
    values,
    env: io.env,
    out: io.out,
    err: io.err,
    client(service = 'scim') {
      const existing = clients.get(service);
      if (existing) return existing;
      const { url: baseUrl, source } = resolveServiceUrl(service, values.url, io.env);
      if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
        throw new UsageError(`${source} must be an http(s) URL, got "${baseUrl}"`);
      }
      // Tokens are read from the environment only: argv is visible to every user via ps.
      const token = io.env.FFGATE_ADMIN_TOKEN;
      if (!token) throw new UsageError('FFGATE_ADMIN_TOKEN is not set');
      const client = new AdminClient({ baseUrl, token });
      clients.set(service, client);
      return client;
    },
  };
}

function findCommand(commands: readonly Command[], positionals: readonly string[]): Command | undefined {
  return commands.find((c) => c.path.every((word, i) => positionals[i] === word));
}

function allOptions(commands: readonly Command[]): OptionSpec {
  return Object.assign({}, globalOptions, ...commands.map((c) => c.options ?? {}));
}

function isParseArgsError(error: unknown): boolean {
  return typeof (error as { code?: unknown })?.code === 'string' && (error as { code: string }).code.startsWith('ERR_PARSE_ARGS_');
}

function commandHelp(command: Command): string {
  return `ffgate ${command.path.join(' ')}${command.usage ? ` ${command.usage}` : ''}  — ${command.summary}`;
}

export function helpText(commands: readonly Command[] = defaultCommands): string {
  return [
    'usage: ffgate <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${commandHelp(c)}`),
    '',
    'options:',
    `  --url <url>   admin API base URL (env FFGATE_URL, default ${DEFAULT_URL})`,
    '  --json        print JSON instead of a table',
    '  -h, --help    show help',
    '',
    'environment:',
    '  FFGATE_ADMIN_TOKEN      bearer token for the admin APIs (required)',
    '  FFGATE_URL              base URL of every admin API (all-in-one), unless overridden below',
    '  FFGATE_TOKEN_ADMIN_URL  token service URL for `admin client …` (distributed shape)',
    '  FFGATE_GATEWAY_URL      job gateway URL for `audit …` (distributed shape)',
  ].join('\n');
}
