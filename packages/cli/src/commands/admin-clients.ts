import type { ClientOwner, TokenClient } from '../admin-client.ts';
import { UsageError } from '../command.ts';
import type { Command } from '../command.ts';
import { formatTable } from '../format.ts';

/** SCIM ids are UUIDs; anything else given to `--user` is taken as a userName. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function ownerOf(values: Record<string, unknown>): ClientOwner {
  const user = typeof values.user === 'string' ? values.user : undefined;
  const userId = typeof values['user-id'] === 'string' ? values['user-id'] : undefined;
  if ((user ? 1 : 0) + (userId ? 1 : 0) !== 1) throw new UsageError('give the user the client acts for: --user <userName|userId> or --user-id <id>');
  if (userId) return { userId };
  return UUID.test(user!) ? { userId: user! } : { userName: user! };
}

const status = (c: TokenClient) => (c.disabled_at ? `disabled${c.disabled_reason ? ` (${c.disabled_reason})` : ''}` : 'active');

/** `ffgate admin client …`: pipeline clients of the token service (`/admin/v1/clients`). */
export const adminClientCommands: Command[] = [
  {
    path: ['admin', 'client', 'create'],
    usage: '--user <userName|userId> --name <name>',
    summary: 'Create a pipeline client bound to a provisioned user; prints client_id and client_secret (shown once).',
    arity: 0,
    options: { user: { type: 'string' }, 'user-id': { type: 'string' }, name: { type: 'string' } },
    async run(ctx) {
      const name = typeof ctx.values.name === 'string' ? ctx.values.name.trim() : '';
      if (!name) throw new UsageError('--name <name> is required');
      const owner = ownerOf(ctx.values);
      const created = await ctx.client('token').createClient(owner, name);
      if (ctx.values.json) {
        ctx.out(JSON.stringify(created, null, 2));
      } else {
        ctx.out(`client_id:     ${created.client_id}`);
        ctx.out(`client_secret: ${created.client_secret}`);
        ctx.out(`name:          ${created.name}`);
        ctx.out(`user_id:       ${created.user_id ?? '-'}`);
      }
      ctx.err('Store the client_secret now: it is shown only once and cannot be retrieved again.');
    },
  },
  {
    path: ['admin', 'client', 'list'],
    usage: '',
    summary: 'List the token service clients (a table, or JSON with --json).',
    arity: 0,
    async run(ctx) {
      const clients = await ctx.client('token').listClients();
      if (ctx.values.json) return void ctx.out(JSON.stringify(clients, null, 2));
      if (clients.length === 0) return void ctx.out('No clients.');
      const rows = clients.map((c) => ({ ...c, status: status(c) }));
      ctx.out(formatTable(['client_id', 'name', 'user_id', 'scope', 'status', 'created_at'], rows));
    },
  },
  {
    path: ['admin', 'client', 'disable'],
    usage: '<client_id>',
    summary: "Disable a client; its live credentials are revoked at once.",
    arity: 1,
    async run(ctx) {
      const client = await ctx.client('token').disableClient(ctx.args[0]);
      ctx.out(ctx.values.json ? JSON.stringify(client, null, 2) : `Disabled ${ctx.args[0]}; its credentials are revoked.`);
    },
  },
  {
    path: ['admin', 'client', 'delete'],
    usage: '<client_id>',
    summary: "Delete a client; its live credentials are revoked at once.",
    arity: 1,
    async run(ctx) {
      await ctx.client('token').deleteClient(ctx.args[0]);
      ctx.out(ctx.values.json ? JSON.stringify({ client_id: ctx.args[0], deleted: true }) : `Deleted ${ctx.args[0]}.`);
    },
  },
];
