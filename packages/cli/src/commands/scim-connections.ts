import type { Command } from '../command.ts';
import { formatTable } from '../format.ts';

export const scimConnectionCommands: Command[] = [
  {
    path: ['scim-connections', 'create'],
    usage: '<name>',
    summary: 'Create a SCIM connection for an IdP and print its bearer token (shown once).',
    arity: 1,
    async run(ctx) {
      const created = await ctx.client().createScimConnection(ctx.args[0]);
      ctx.out(JSON.stringify(created, null, 2));
      ctx.err('Store the token now: it cannot be shown again.');
    },
  },
  {
    path: ['scim-connections', 'list'],
    usage: '',
    summary: 'List SCIM connections (a table, or JSON with --json).',
    arity: 0,
    async run(ctx) {
      const connections = await ctx.client().listScimConnections();
      if (ctx.values.json) {
        ctx.out(JSON.stringify(connections, null, 2));
      } else if (connections.length === 0) {
        ctx.out('No SCIM connections.');
      } else {
        const rows = connections.map((c) => ({ ...c, status: c.revokedAt ? 'revoked' : 'active' }));
        ctx.out(formatTable(['id', 'name', 'status', 'createdAt', 'lastUsedAt'], rows));
      }
    },
  },
  {
    path: ['scim-connections', 'revoke'],
    usage: '<id>',
    summary: 'Revoke a SCIM connection; its token stops working immediately.',
    arity: 1,
    async run(ctx) {
      await ctx.client().revokeScimConnection(ctx.args[0]);
      ctx.out(ctx.values.json ? JSON.stringify({ id: ctx.args[0], revoked: true }) : `Revoked ${ctx.args[0]}.`);
    },
  },
];
