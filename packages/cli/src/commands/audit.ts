import type { AuditRecord } from '../admin-client.ts';
import { UsageError } from '../command.ts';
import type { Command } from '../command.ts';
import { formatTable } from '../format.ts';

/** What a reader needs from a record's details in one cell: the job's profile, exit, reason. */
function summary(record: AuditRecord): string {
  const d = record.details ?? {};
  const parts = ['profile', 'status', 'reason', 'exitCode', 'worker', 'pid']
    .filter((key) => d[key] !== undefined && d[key] !== null && typeof d[key] !== 'object')
    .map((key) => `${key}=${String(d[key])}`);
  return parts.join(' ');
}

/** `ffgate audit …`: the hash-chained audit trail kept by the job gateway. */
export const auditCommands: Command[] = [
  {
    path: ['audit', 'verify'],
    usage: '',
    summary: "Check every writer's hash chain; exit 0 when all hold, 1 naming the first broken record.",
    arity: 0,
    async run(ctx) {
      const result = await ctx.client('gateway').verifyAudit();
      if (ctx.values.json) {
        ctx.out(JSON.stringify(result, null, 2));
      } else if (result.writers.length === 0) {
        ctx.out('No audit records.');
      } else {
        const brokenBy = new Map(result.broken.map((b) => [b.writer, b]));
        const rows = result.writers.map((w) => {
          const b = brokenBy.get(w.writer);
          return { ...w, status: w.ok ? 'ok' : 'BROKEN', brokenAt: b ? `#${b.writerSeq} ${b.id} (${b.reason})` : '' };
        });
        ctx.out(formatTable(['writer', 'records', 'status', 'brokenAt'], rows));
      }
      if (result.ok) {
        const n = result.writers.length;
        if (!ctx.values.json && n > 0) ctx.out(`All ${n} chain${n === 1 ? '' : 's'} verified.`);
        return 0;
      }
      const first = result.firstBroken ?? result.broken[0];
      ctx.err(
        first
          ? `ffgate: audit chain broken: writer ${first.writer}, record ${first.id} (#${first.writerSeq}): ${first.reason}`
          : 'ffgate: audit chain broken',
      );
      return 1;
    },
  },
  {
    path: ['audit', 'show'],
    usage: '--user <scim-user-id>',
    summary: "Show a user's audit trail in time order (a table, or JSON with --json).",
    arity: 0,
    options: { user: { type: 'string' } },
    async run(ctx) {
      const user = typeof ctx.values.user === 'string' ? ctx.values.user : '';
      if (!user) throw new UsageError('--user <scim-user-id> is required');
      const records = await ctx.client('gateway').auditTrail(user);
      if (ctx.values.json) return void ctx.out(JSON.stringify(records, null, 2));
      if (records.length === 0) return void ctx.out(`No audit records for user ${user}.`);
      const rows = records.map((r) => ({ ...r, summary: summary(r) }));
      ctx.out(formatTable(['time', 'action', 'writer', 'userName', 'clientId', 'jobId', 'summary'], rows));
    },
  },
];
