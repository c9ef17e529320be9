import type { Command } from '../command.ts';
import { scimConnectionCommands } from './scim-connections.ts';

/** Every `ffgate` subcommand. Later groups (admin client …, audit verify) are appended here. */
export const commands: readonly Command[] = [...scimConnectionCommands];
