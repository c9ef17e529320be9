import type { Bus, Delivery, Outcome, Subscription } from '@ffgate/bus';
import { AuditRecordEvent, AuditStream, IdentityEvent, JobEventsStream, JobProgressEvent, JobStatusEvent, Streams, TokenRevokedEvent, TokensStream } from '@ffgate/contracts';
import { auditRecordOfIdentityEvent } from './audit/from-identity.ts';
import { ingestAuditRecord } from './audit/store.ts';
import { applyIdentityEvent, applyRevocationEvent } from './identity/apply.ts';
import type { JobsContext } from './jobs/context.ts';
import { applyProgress, applyStatus } from './jobs/status.ts';

export interface ConsumerLogger {
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

/** Durable consumer names (shared by every gateway replica: each event is handled once). */
export const DURABLES = {
  identity: 'gateway-identity',
  tokens: 'gateway-tokens',
  status: 'gateway-status',
  progress: 'gateway-progress',
  audit: 'gateway-audit',
  /** SCIM writes enter the audit trail from their identity events */
  scimAudit: 'gateway-audit-scim',
} as const;

export type ConsumerStats = Record<keyof typeof DURABLES, Record<string, number>>;

/**
 * The gateway's durable consumers. Each handler parses (the bus validated already), applies in a
 * transaction, and acks; a thrown error is retried by the bus with backoff. One message at a time
 * per consumer keeps per-subject order (status `seq` ordering makes it safe anyway).
 */
export async function startConsumers(bus: Bus, ctx: JobsContext, logger: ConsumerLogger, stats: ConsumerStats): Promise<Subscription[]> {
  const count = (name: keyof typeof DURABLES, result: string) => {
    stats[name][result] = (stats[name][result] ?? 0) + 1;
  };
  const handle =
    <T>(name: keyof typeof DURABLES, schema: { parse(v: unknown): T }, apply: (e: T) => Promise<string>) =>
    async (d: Delivery): Promise<Outcome> => {
      let event: T;
      try {
        event = schema.parse(d.event);
      } catch (err) {
        logger.warn({ err, subject: d.subject, consumer: DURABLES[name] }, 'event does not match its contract; dropped');
        return { kind: 'term', reason: 'contract mismatch' };
      }
      count(name, await apply(event));
      return { kind: 'ack' };
    };

  await bus.ensureStream(Streams.identity);
  await bus.ensureStream(TokensStream);
  await bus.ensureStream(JobEventsStream);
  await bus.ensureStream(AuditStream);
  return [
    await bus.consume(
      { stream: Streams.identity.name, durable: DURABLES.identity, filterSubject: 'identity.user.>', deliver: 'all' },
      handle('identity', IdentityEvent, (e) => applyIdentityEvent(ctx, e)),
    ),
    await bus.consume(
      { stream: TokensStream.name, durable: DURABLES.tokens, filterSubject: 'token.revoked.>', deliver: 'all' },
      handle('tokens', TokenRevokedEvent, async (e) => ((await applyRevocationEvent(ctx, e)) > 0 ? 'canceled_jobs' : 'no_jobs')),
    ),
    await bus.consume(
      { stream: JobEventsStream.name, durable: DURABLES.status, filterSubject: 'job.status.>', deliver: 'all' },
      handle('status', JobStatusEvent, (e) => applyStatus(ctx, e)),
    ),
    await bus.consume(
      { stream: JobEventsStream.name, durable: DURABLES.progress, filterSubject: 'job.progress.>', deliver: 'all', concurrency: 4 },
      handle('progress', JobProgressEvent, async (e) => ((await applyProgress(ctx, e)) ? 'applied' : 'stale')),
    ),
    await bus.consume(
      { stream: AuditStream.name, durable: DURABLES.audit, deliver: 'all' },
      handle('audit', AuditRecordEvent, (e) => ingestAuditRecord(ctx.db, e)),
    ),
    await bus.consume(
      { stream: Streams.identity.name, durable: DURABLES.scimAudit, deliver: 'all' },
      handle('scimAudit', IdentityEvent, (e) => ingestAuditRecord(ctx.db, auditRecordOfIdentityEvent(e))),
    ),
  ];
}
