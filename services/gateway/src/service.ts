import { Router } from 'express';
import { sql } from 'drizzle-orm';
import type { Bus, Subscription } from '@ffgate/bus';
import { AuditStream, JobEventsStream, JobsStream, Streams, TokensStream } from '@ffgate/contracts';
import type { Database } from '@ffgate/db';
import { OutboxRelay } from '@ffgate/outbox';
import { openPolicy, type Policy, type PolicyWatcher } from '@ffgate/policy';
import type { Metrics } from '@ffgate/telemetry';
import { createVerifier, feedRevocations, RevocationView, type JwksSource, type RevocationFeed, type Verifier } from '@ffgate/verifier';
import { issuerOf, tokenUrlOf, type GatewayServiceConfig } from './config.ts';
import { DURABLES, startConsumers, type ConsumerStats } from './consumers.ts';
import { reapplyPolicy } from './identity/apply.ts';
import type { JobsContext } from './jobs/context.ts';
import { dispatchWaiting, ownersWithWaitingJobs } from './jobs/scheduler.ts';
import { createSpecChecker } from './jobs/spec.ts';
import { JobChanges } from './http/job-changes.ts';
import { buildRouter } from './http/router.ts';
import type { SseOptions } from './http/sse.ts';
import { lockOwner } from './store/locks.ts';
import { migrateGateway } from './store/migrations.ts';
import { jobs, outbox } from './store/schema.ts';

export interface ServiceLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface GatewayServiceDeps {
  config: GatewayServiceConfig;
  database: Database;
  bus: Bus;
  logger: ServiceLogger;
  metrics?: Metrics;
  /** keys to verify credentials with; default `<FFGATE_TOKEN_URL>/.well-known/jwks.json` */
  jwks?: JwksSource;
  /** a ready-made verifier (tests, or the all-in-one sharing one) instead of building one */
  verifier?: Verifier;
  /** refuse credentials (503) when the revocation feed was silent this long (default 5 min) */
  maxRevocationStalenessMs?: number;
  /** check job paths on disk at submit (default: when FFGATE_MEDIA_ROOT exists here) */
  checkMediaOnDisk?: boolean;
  /** how often waiting jobs are re-considered for dispatch besides the events that free slots (default 5 s) */
  sweepIntervalMs?: number;
  /** skip migrations (the all-in-one process may run them itself) */
  migrate?: boolean;
  sse?: SseOptions;
  now?: () => number;
}

export interface GatewayService {
  /** `/v1/*` and `/admin/v1/audit*` — mount at the root */
  readonly router: Router;
  start(): Promise<void>;
  stop(): Promise<void>;
  ready(): Promise<{ ok: boolean; checks: Record<string, boolean | string> }>;
  /** re-read FFGATE_POLICY now (it is also watched); resolves with the policy in force */
  reloadPolicy(): Promise<Policy>;
  /** consider every owner's waiting jobs for dispatch now (also runs periodically) */
  sweep(): Promise<void>;
  /** what the consumers did, by result (for tests and metrics) */
  readonly stats: ConsumerStats;
  readonly revocations: RevocationView;
}

/**
 * The job gateway (see README): authenticated job API, scheduler, status ingestion,
 * deprovisioning and the audit store. Composable: the all-in-one process mounts `router` next
 * to the other services'.
 */
export function createGatewayService(deps: GatewayServiceDeps): GatewayService {
  const { config, database, bus, logger } = deps;
  const now = deps.now ?? Date.now;
  const revocations = new RevocationView({ now });
  const staleness = deps.maxRevocationStalenessMs ?? 5 * 60_000;
  const verifier =
    deps.verifier ??
    createVerifier({
      issuer: issuerOf(config),
      jwks: deps.jwks ?? { url: `${tokenUrlOf(config)}/.well-known/jwks.json` },
      revocations,
      maxRevocationStalenessMs: staleness,
      now,
    });
  let policy: Policy | undefined;
  const ctx: JobsContext = {
    db: database.db,
    policy: () => {
      if (!policy) throw new Error('the gateway policy is not loaded');
      return policy;
    },
    limits: { maxRuntimeSec: config.jobMaxRuntimeSeconds, maxOutputBytes: config.jobMaxOutputBytes },
    auditWriter: 'gateway',
    now,
  };
  const changes = new JobChanges();
  const relay = new OutboxRelay({ database, table: outbox, bus, logger });
  const stats: ConsumerStats = { identity: {}, tokens: {}, status: {}, progress: {}, audit: {}, scimAudit: {} };
  const specs = createSpecChecker(config.mediaRoot, { onDisk: deps.checkMediaOnDisk });
  const router = buildRouter({ ctx, verifier, adminToken: config.adminToken, specs, changes, logger, sse: deps.sse });

  let subscriptions: Subscription[] = [];
  let feed: RevocationFeed | undefined;
  let watcher: PolicyWatcher | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;
  let started = false;
  let sweeping: Promise<void> | undefined;

  registerMetrics(deps.metrics, database);

  async function sweep(): Promise<void> {
    for (const ownerId of await ownersWithWaitingJobs(ctx)) {
      await database.db.transaction(async (tx) => {
        await lockOwner(tx, ownerId);
        await dispatchWaiting(ctx, tx, ownerId);
      });
    }
  }

  async function onPolicyChange(next: Policy): Promise<void> {
    policy = next;
    logger.info({ digest: next.digest }, 'gateway policy reloaded; re-checking unfinished jobs');
    await reapplyPolicy(ctx).catch((err) => logger.error({ err }, 're-checking jobs under the new policy failed'));
  }

  async function startPolicy(): Promise<void> {
    watcher = await openPolicy(config.policy, { onChange: (p) => void onPolicyChange(p), onError: (err) => logger.error({ err }, 'policy change rejected; the previous policy stays in force') });
    policy = watcher.current;
  }

  return {
    router,
    stats,
    revocations,
    async start() {
      if (started) return;
      if (deps.migrate !== false) await migrateGateway(database);
      await startPolicy();
      // every stream the gateway reads or writes (idempotent; whoever starts first creates them)
      for (const stream of [Streams.identity, TokensStream, JobsStream, JobEventsStream, AuditStream]) await bus.ensureStream(stream);
      // report liveness well within the staleness limit, so a quiet but healthy feed never looks stale
      feed = await feedRevocations(bus, revocations, { livenessIntervalMs: Math.min(5000, Math.floor(staleness / 3)) });
      await changes.start(database);
      await relay.start();
      subscriptions = await startConsumers(bus, ctx, logger, stats);
      sweepTimer = setInterval(() => {
        sweeping ??= sweep()
          .catch((err) => logger.warn({ err }, 'dispatch sweep failed'))
          .finally(() => (sweeping = undefined));
      }, deps.sweepIntervalMs ?? 5000);
      sweepTimer.unref();
      started = true;
      logger.info({ durables: Object.values(DURABLES) }, 'gateway started');
    },
    async stop() {
      if (!started) return;
      started = false;
      clearInterval(sweepTimer);
      await sweeping;
      for (const s of subscriptions) await s.stop();
      subscriptions = [];
      await feed?.stop();
      await relay.stop();
      await changes.stop();
      watcher?.close();
    },
    async ready() {
      const checks: Record<string, boolean | string> = { started };
      try {
        await database.ping();
        checks.database = true;
      } catch {
        checks.database = false;
      }
      checks.bus = bus.isConnected();
      const last = revocations.lastFeedActivity;
      checks.revocations = last !== undefined && now() - last < staleness;
      return { ok: Object.values(checks).every((v) => v === true), checks };
    },
    async reloadPolicy() {
      if (watcher) return watcher.reload();
      return ctx.policy();
    },
    sweep,
  };
}

/** Job counts by status and queue depth, read from the jobs table at scrape time. */
function registerMetrics(metrics: Metrics | undefined, database: Database): void {
  if (!metrics) return;
  metrics.gauge({
    name: 'ffgate_gateway_jobs',
    help: 'Jobs by status',
    labelNames: ['status'],
    async collect() {
      const rows = await database.db.select({ status: jobs.status, n: sql<number>`count(*)::int` }).from(jobs).groupBy(jobs.status);
      this.reset();
      for (const s of ['queued', 'running', 'succeeded', 'failed', 'canceled']) this.set({ status: s }, rows.find((r) => r.status === s)?.n ?? 0);
    },
  });
  metrics.gauge({
    name: 'ffgate_gateway_queue_depth',
    help: 'Jobs waiting (queued, not yet dispatched) by queue',
    labelNames: ['queue'],
    async collect() {
      const rows = await database.db
        .select({ queue: jobs.queue, n: sql<number>`count(*)::int` })
        .from(jobs)
        .where(sql`${jobs.status} = 'queued' and ${jobs.dispatchedAt} is null`)
        .groupBy(jobs.queue);
      this.reset();
      for (const r of rows) this.set({ queue: r.queue }, r.n);
    },
  });
}
