export { runCli, helpText, DEFAULT_URL } from './cli.ts';
export type { CliIo } from './cli.ts';
export { AdminClient, AdminApiError } from './admin-client.ts';
export type { ScimConnection, CreatedScimConnection } from './admin-client.ts';
export { UsageError } from './command.ts';
export type { Command, CommandContext, OptionSpec } from './command.ts';
export { commands } from './commands/index.ts';
export { formatTable } from './format.ts';
