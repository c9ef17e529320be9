import { ack, type Bus, type Delivery, type Outcome, type Subscription } from '@ffgate/bus';
import {
  JobCancelEvent,
  JobEventsStream,
  Streams,
  TokenRevokedEvent,
  TokensStream,
  type CancelReason,
  type IdentityEvent,
} from '@ffgate/contracts';
import type { Policy } from '@ffgate/policy';
import { applyRevocation, type RevocationView } from '@ffgate/verifier';
import { credentialRevoked, profileAllowed } from './admission.ts';
import { CatchUp } from './catch-up.ts';
import type { IdentityView } from './identity-view.ts';
import type { RunningJobs } from './running-jobs.ts';
import type { StreamInfoSource } from './stream-info.ts';

export interface FeedDeps {
  bus: Bus;
  identities: IdentityView;
  revocations: RevocationView;
  running: RunningJobs;
  policy: () => Policy;
  streams: StreamInfoSource;
  /** remember a cancel for a job this replica does not hold (yet) */
  rememberCancel(jobId: string, reason: CancelReason): void;
  now?: () => number;
}

export interface Feeds {
  readonly identityCatchUp: CatchUp;
  readonly tokensCatchUp: CatchUp;
  stop(): Promise<void>;
}

/**
 * The broadcasts every replica receives: IDENTITY and TOKENS replayed from the start into the
 * in-memory views, then followed live; `job.cancel.*` from now on. Each handler signals the
 * affected ffmpeg processes synchronously, before it awaits anything: the kill is the first thing
 * that happens when the event arrives.
 */
export async function startFeeds(deps: FeedDeps): Promise<Feeds> {
  const { bus, identities, revocations, running, policy } = deps;
  const now = deps.now ?? Date.now;
  const [identityTarget, tokensTarget] = await Promise.all([
    deps.streams.lastSeq(Streams.identity.name).catch(() => undefined),
    deps.streams.lastSeq(TokensStream.name).catch(() => undefined),
  ]);
  const identityCatchUp = new CatchUp(identityTarget);
  const tokensCatchUp = new CatchUp(tokensTarget);
  const subs: Subscription[] = [];

  const onIdentity = async (d: Delivery<IdentityEvent>): Promise<Outcome> => {
    identityCatchUp.saw(d.seq);
    const e = d.event;
    if (!e.type.startsWith('identity.user.')) return ack;
    const user = e.data as Extract<IdentityEvent, { type: 'identity.user.updated' }>['data'];
    const deleted = e.type === 'identity.user.deleted';
    if (!identities.apply(e.resourceId, e.version, user, deleted)) return ack;
    const jobs = running.ofUser(e.resourceId);
    if (jobs.length === 0) return ack;
    const at = Date.parse(e.time);
    if (deleted || !user.active) {
      for (const j of jobs) running.stop(j, 'owner_deprovisioned', at);
    } else {
      const p = policy();
      for (const j of jobs) if (!profileAllowed(p, user, j.job)) running.stop(j, 'role_revoked', at);
    }
    return ack;
  };

  const onRevocation = async (d: Delivery<TokenRevokedEvent>): Promise<Outcome> => {
    tokensCatchUp.saw(d.seq);
    const e = d.event;
    applyRevocation(revocations, e);
    revocations.markFeedActivity(now());
    const candidates = e.userId !== undefined ? running.ofUser(e.userId) : running.all();
    const at = Date.parse(e.time);
    for (const j of candidates) if (credentialRevoked(revocations, j.job)) running.stop(j, 'credential_revoked', at);
    return ack;
  };

  const onCancel = async (d: Delivery<JobCancelEvent>): Promise<Outcome> => {
    const e = d.event;
    const j = running.get(e.jobId);
    if (j) running.stop(j, e.reason);
    else deps.rememberCancel(e.jobId, e.reason);
    return ack;
  };

  try {
    subs.push(await bus.consume<IdentityEvent>({ stream: Streams.identity.name, deliver: 'all' }, onIdentity));
    subs.push(await bus.consume<TokenRevokedEvent>({ stream: TokensStream.name, filterSubject: 'token.revoked.>', deliver: 'all' }, onRevocation));
    subs.push(await bus.consume<JobCancelEvent>({ stream: JobEventsStream.name, filterSubject: 'job.cancel.>', deliver: 'new' }, onCancel));
  } catch (err) {
    await Promise.allSettled(subs.map((s) => s.stop()));
    throw err;
  }
  // the feed proves alive while the bus is connected (as feedRevocations does); stale → fail closed
  if (bus.isConnected()) revocations.markFeedActivity(now());
  const liveness = setInterval(() => {
    if (bus.isConnected()) revocations.markFeedActivity(now());
  }, 1_000);
  liveness.unref();

  let stopping: Promise<void> | undefined;
  return {
    identityCatchUp,
    tokensCatchUp,
    stop() {
      clearInterval(liveness);
      return (stopping ??= Promise.allSettled(subs.map((s) => s.stop())).then(() => undefined));
    },
  };
}
