import type { Subscription } from '@ffgate/bus';
import { AuditStream, JobEventsStream, JobsStream, Streams, TokensStream, jobDispatchSubject, type CancelReason, type JobDispatchEvent } from '@ffgate/contracts';
import { openPolicy, type Policy, type PolicyWatcher } from '@ffgate/policy';
import { RevocationView } from '@ffgate/verifier';
import { profileAllowed, type AdmissionDeps } from './admission.ts';
import { RecentCancels } from './recent-cancels.ts';
import { startFeeds, type Feeds } from './feeds.ts';
import { IdentityView } from './identity-view.ts';
import { createJobHandler } from './job-handler.ts';
import { createMediaEngine } from './media-engine.ts';
import { createTranscoderMetrics } from './metrics.ts';
import { Reporter } from './reporter.ts';
import { RunningJobs } from './running-jobs.ts';
import { Slots } from '@ffgate/bus';
import { streamInfoSource } from './stream-info.ts';
import type { Transcoder, TranscoderDeps, TranscoderStats } from './service-types.ts';

export type { Transcoder, TranscoderDeps, TranscoderServiceConfig, TranscoderStats } from './service-types.ts';

/**
 * One transcoder replica (stateless): identity and revocation views from broadcasts, one durable
 * consumer per queue shared with every other replica, at most `concurrency` ffmpeg processes.
 */
export function createTranscoder(deps: TranscoderDeps): Transcoder {
  const { config, bus, logger, replicaId } = deps;
  const now = deps.now ?? Date.now;
  const ackWaitMs = deps.ackWaitMs ?? 30_000;
  const staleMs = config.revocationStaleSeconds * 1000;
  const metrics = createTranscoderMetrics(deps.metrics);
  const identities = new IdentityView();
  const revocations = new RevocationView({ now });
  const running = new RunningJobs();
  const recentCancels = new RecentCancels();
  const slots = new Slots(config.concurrency);
  const reporter = new Reporter({ bus, replicaId, now });
  const streams = streamInfoSource(bus);
  const engine =
    deps.engine ??
    (() => {
      if (!config.mediaRoot) throw new Error('createTranscoder: config.mediaRoot is required without an injected engine');
      return createMediaEngine({ mediaRoot: config.mediaRoot, ...(config.ffmpegPath ? { ffmpegPath: config.ffmpegPath } : {}) });
    })();

  let policy: PolicyWatcher | undefined;
  let feeds: Feeds | undefined;
  const queueSubs: Subscription[] = [];
  let started = false;
  let draining = false;
  let stopping: Promise<void> | undefined;
  const timers: NodeJS.Timeout[] = [];

  const currentPolicy = (): Policy => {
    if (!policy) throw new Error('the transcoder is not started');
    return policy.current;
  };
  const feedFresh = () => {
    const last = revocations.lastFeedActivity;
    return last !== undefined && now() - last <= staleMs;
  };
  const caughtUp = () => feeds !== undefined && feeds.identityCatchUp.caughtUp && feeds.tokensCatchUp.caughtUp;
  const admission: AdmissionDeps = { identities, revocations, policy: currentPolicy, canceledEarlier: (id) => recentCancels.get(id) };

  const handler = createJobHandler({
    engine,
    running,
    reporter,
    admission,
    slots,
    metrics,
    logger,
    maxAttempts: config.jobMaxAttempts,
    mayStart: () => bus.isConnected() && feedFresh() && caughtUp(),
    isDraining: () => draining,
    heartbeatMs: Math.max(1_000, Math.floor(ackWaitMs / 3)),
    now,
  });

  /** fail closed: without the revocation feed for too long, stop every job and hand it back */
  function checkFeed(): void {
    if (running.size === 0 || feedFresh()) return;
    logger.warn({ jobs: running.size, staleSeconds: config.revocationStaleSeconds }, 'revocation feed stale; stopping running jobs (handed back for redelivery)');
    for (const entry of running.all()) running.stop(entry, 'handback');
  }

  async function pollDepth(): Promise<void> {
    for (const queue of config.queues) {
      const pending = await streams.pending(JobsStream.name, `transcoder-${queue}`).catch(() => undefined);
      if (pending !== undefined) metrics.setQueueDepth(queue, pending);
    }
  }

  /** re-check running jobs when the policy file changes: a grant taken away kills them (role_revoked) */
  function onPolicyChange(next: Policy): void {
    logger.info({ digest: next.digest }, 'role policy reloaded');
    for (const entry of running.all()) {
      const user = identities.activeState(entry.job.owner.userId);
      if (user && !profileAllowed(next, user, entry.job)) running.stop(entry, 'role_revoked', now());
    }
  }

  async function waitForCatchUp(): Promise<void> {
    const since = now();
    let warned = false;
    while (!caughtUp()) {
      if (!warned && now() - since > 10_000) {
        warned = true;
        logger.warn({ identity: feeds?.identityCatchUp.progress, tokens: feeds?.tokensCatchUp.progress }, 'still replaying identity and revocations');
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  return {
    replicaId,
    get stats(): TranscoderStats {
      return { running: running.size, users: identities.size, caughtUp: caughtUp(), draining };
    },

    async start() {
      if (started) return;
      policy = await openPolicy(config.policy, {
        onChange: onPolicyChange,
        onError: (err) => logger.error({ err }, 'policy change rejected; the previous policy stays in force'),
      });
      // the same specs as their owners create them (idempotent; creates them when this replica is first)
      await bus.ensureStream({ ...Streams.identity, retention: 'limits' });
      await bus.ensureStream({ ...TokensStream, retention: 'limits' });
      await bus.ensureStream(JobsStream);
      await bus.ensureStream(JobEventsStream);
      await bus.ensureStream(AuditStream);
      feeds = await startFeeds({ bus, identities, revocations, running, policy: currentPolicy, streams, rememberCancel: (id: string, r: CancelReason) => recentCancels.add(id, r), now });
      await waitForCatchUp();
      logger.info({ users: identities.size, revocations: revocations.size }, 'identity and revocation views caught up');
      for (const queue of config.queues) {
        queueSubs.push(
          await bus.consume<JobDispatchEvent>(
            {
              stream: JobsStream.name,
              durable: `transcoder-${queue}`,
              filterSubject: jobDispatchSubject(queue),
              deliver: 'all',
              ackWaitMs,
              // two deliveries past the attempt bound: enough for the handler to end a job whose worker was lost
              maxDeliver: config.jobMaxAttempts + 2,
              concurrency: config.concurrency,
            },
            handler,
          ),
        );
      }
      const feedCheck = setInterval(checkFeed, 1_000);
      const depth = setInterval(() => void pollDepth(), deps.depthPollMs ?? 5_000);
      const prune = setInterval(() => revocations.prune(), 60_000);
      for (const t of [feedCheck, depth, prune]) t.unref();
      timers.push(feedCheck, depth, prune);
      void pollDepth();
      started = true;
      logger.info({ replicaId, queues: config.queues, concurrency: config.concurrency }, 'transcoder started');
    },

    stop() {
      stopping ??= (async () => {
        draining = true;
        logger.info({ running: running.size, drainTimeoutSeconds: config.drainTimeoutSeconds }, 'draining');
        const drainTimer = setTimeout(() => {
          if (running.size > 0) logger.warn({ running: running.size }, 'drain timeout: stopping the remaining jobs and handing them back');
          for (const entry of running.all()) running.stop(entry, 'handback');
        }, config.drainTimeoutSeconds * 1000);
        // stopping a subscription stops pulling and waits for the handlers in flight (the running jobs)
        await Promise.allSettled(queueSubs.map((s) => s.stop()));
        clearTimeout(drainTimer);
        for (const t of timers) clearInterval(t);
        // deprovisioning keeps working until the last job is gone
        await feeds?.stop();
        policy?.close();
        logger.info({}, 'drained');
      })();
      return stopping;
    },

    async ready() {
      const checks: Record<string, boolean | string> = {
        started,
        bus: bus.isConnected(),
        caughtUp: caughtUp(),
        revocationFeed: feedFresh() ? true : 'stale',
        draining,
      };
      return { ok: started && !draining && checks.bus === true && checks.caughtUp === true && checks.revocationFeed === true, checks };
    },
  };
}
