export { runCli, helpText, resolveServiceUrl, DEFAULT_URL, SERVICE_URL_ENV } from './cli.ts';
export type { CliIo } from './cli.ts';
export { AdminClient, AdminApiError } from './admin-client.ts';
export type {
  ScimConnection,
  CreatedScimConnection,
  TokenClient,
  CreatedTokenClient,
  ClientOwner,
  AuditRecord,
  AuditVerification,
  BrokenLink,
} from './admin-client.ts';
export { UsageError } from './command.ts';
export type { AdminService, Command, CommandContext, OptionSpec } from './command.ts';
export { commands } from './commands/index.ts';
export { formatTable } from './format.ts';
