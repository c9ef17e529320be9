import type { Command } from '../command.ts';
import { adminClientCommands } from './admin-clients.ts';
import { auditCommands } from './audit.ts';
import { scimConnectionCommands } from './scim-connections.ts';

/** Every `ffgate` subcommand; add a group by appending its table here. */
export const commands: readonly Command[] = [...scimConnectionCommands, ...adminClientCommands, ...auditCommands];
