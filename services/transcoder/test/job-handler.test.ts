import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, test } from '@jest/globals';
import { createMemoryBus, silentLogger, type Delivery, type MemoryBus } from '@ffgate/bus';
import { AuditStream, JobEventsStream, type AuditRecordEvent, type JobDispatchEvent, type JobStatusEvent } from '@ffgate/contracts';
import { loadPolicy, type Policy } from '@ffgate/policy';
import { waitFor } from '@ffgate/testing';
import { RevocationView } from '@ffgate/verifier';
import type { EngineExit, EngineProcess, TranscodeEngine } from '../src/engine.ts';
import { IdentityView } from '../src/identity-view.ts';
import { createJobHandler } from '../src/job-handler.ts';
import { createTranscoderMetrics } from '../src/metrics.ts';
import { Reporter } from '../src/reporter.ts';
import { RunningJobs } from '../src/running-jobs.ts';
import { Slots } from '@ffgate/bus';
import { makeUser } from './support/identity.ts';

/** An engine whose processes end when told to (or when signalled). */
class FakeEngine implements TranscodeEngine {
  spawned: { pid: number; signals: string[]; finish(exit: Partial<EngineExit>): void }[] = [];
  discarded = 0;
  committed = 0;
  async prepare() {
    return { args: ['-i', 'in'], inputPath: '/in', outputPath: '/out', tempPath: '/out.part' };
  }
  async spawn(): Promise<EngineProcess> {
    let finish!: (e: EngineExit) => void;
    const exited = new Promise<EngineExit>((r) => (finish = r));
    const rec = { pid: 1000 + this.spawned.length, signals: [] as string[], finish: (e: Partial<EngineExit>) => finish({ outcome: 'succeeded', exitCode: 0, signal: null, exitedAt: Date.now(), ...e }) };
    this.spawned.push(rec);
    return {
      pid: rec.pid,
      exited,
      kill: () => {
        rec.signals.push('SIGKILL');
        rec.finish({ outcome: 'killed', exitCode: null, signal: 'SIGKILL' });
      },
      stop: () => {
        rec.signals.push('SIGTERM');
        rec.finish({ outcome: 'stopped', exitCode: 255, signal: null });
      },
    };
  }
  async commit() {
    this.committed++;
  }
  async discard() {
    this.discarded++;
  }
}

function delivery(job: JobDispatchEvent, deliveryCount = 1): Delivery<JobDispatchEvent> {
  return { subject: `jobs.${job.queue}`, event: job, headers: {}, seq: 1, deliveryCount, working() {} };
}

function jobOf(userId: string, profile = 'h264-720p', queue = 'default'): JobDispatchEvent {
  return {
    id: randomUUID(),
    type: 'job.dispatch',
    time: new Date().toISOString(),
    jobId: `job-${randomUUID()}`,
    owner: { userId, userName: `${userId}@x`, clientId: 'c', jti: randomUUID(), iat: Math.floor(Date.now() / 1000) - 10 },
    profile,
    queue,
    input: 'shared/in.mp4',
    output: 'home/out.mp4',
    limits: { maxRuntimeSec: 60, maxOutputBytes: 1_000_000 },
  };
}

describe('job handler (fake engine, in-process bus)', () => {
  let bus: MemoryBus;
  let engine: FakeEngine;
  let identities: IdentityView;
  let revocations: RevocationView;
  let running: RunningJobs;
  let policy: Policy;
  let statuses: JobStatusEvent[];
  let audits: AuditRecordEvent[];
  let mayStart: boolean;

  const handler = () =>
    createJobHandler({
      engine,
      running,
      reporter: new Reporter({ bus, replicaId: 'w1' }),
      admission: { identities, revocations, policy: () => policy, canceledEarlier: () => undefined },
      slots: new Slots(2),
      metrics: createTranscoderMetrics(undefined),
      logger: silentLogger,
      maxAttempts: 3,
      mayStart: () => mayStart,
      isDraining: () => false,
    });

  beforeEach(async () => {
    bus = createMemoryBus({ logger: silentLogger });
    await bus.ensureStream(JobEventsStream);
    await bus.ensureStream(AuditStream);
    statuses = [];
    audits = [];
    await bus.consume<JobStatusEvent>({ stream: JobEventsStream.name, filterSubject: 'job.status.>', deliver: 'all' }, async (d) => (statuses.push(d.event), { kind: 'ack' }));
    await bus.consume<AuditRecordEvent>({ stream: AuditStream.name, deliver: 'all' }, async (d) => (audits.push(d.event), { kind: 'ack' }));
    engine = new FakeEngine();
    identities = new IdentityView();
    revocations = new RevocationView();
    running = new RunningJobs();
    policy = await loadPolicy();
    mayStart = true;
  });

  /** the handler has spawned its `n`-th process */
  const spawned = (n = 1) => waitFor(() => engine.spawned.length === n, { message: `${n} ffmpeg spawned` });
  /** the reporter's status events have come back through the bus */
  const reported = (n: number) => waitFor(() => statuses.length === n, { message: `${n} statuses reported` });

  test('runs an admitted job: running then succeeded, commits the output, audits start and finish', async () => {
    identities.apply('u1', 1, makeUser('u1'), false);
    const job = jobOf('u1');
    const outcome = handler()(delivery(job));
    await spawned();
    expect(running.ofUser('u1')).toHaveLength(1);
    engine.spawned[0].finish({});
    expect(await outcome).toEqual({ kind: 'ack' });
    await reported(2);
    await waitFor(() => audits.length === 2);
    expect(statuses.map((s) => [s.status, s.seq])).toEqual([['running', 1001], ['succeeded', 1002]]);
    expect(engine.committed).toBe(1);
    expect(audits.map((a) => a.action)).toEqual(['job.started', 'job.finished']);
    expect(audits[0]).toMatchObject({ writer: 'transcoder:w1', userId: 'u1', jti: job.owner.jti, details: { pid: 1000, args: ['-i', 'in'], profile: 'h264-720p' } });
    expect(running.size).toBe(0);
  });

  test('fail closed: while the bus or the revocation feed is down no job starts (handed back)', async () => {
    identities.apply('u1', 1, makeUser('u1'), false);
    mayStart = false;
    const outcome = await handler()(delivery(jobOf('u1')));
    expect(outcome.kind).toBe('retry');
    expect(engine.spawned).toHaveLength(0);
    expect(statuses).toHaveLength(0);
  });

  test('precedence: an inactive owner whose credential is also revoked ends owner_deprovisioned', async () => {
    identities.apply('u1', 1, makeUser('u1', { active: false }), false);
    const job = jobOf('u1');
    revocations.revokeJti(job.owner.jti, Date.now() + 60_000);
    expect(await handler()(delivery(job))).toEqual({ kind: 'ack' });
    await reported(1);
    expect(statuses).toMatchObject([{ status: 'canceled', cancelReason: 'owner_deprovisioned' }]);
    expect(engine.spawned).toHaveLength(0);
  });

  test('a profile outside the owner’s current roles is canceled role_revoked; a revoked credential credential_revoked', async () => {
    identities.apply('u1', 1, makeUser('u1', { department: 'Sales' }), false);
    await handler()(delivery(jobOf('u1', 'h264-1080p', 'broadcast')));
    const job = jobOf('u1');
    revocations.revokeUserBefore('u1', Date.now());
    await handler()(delivery(job));
    await reported(2);
    expect(statuses.map((s) => s.cancelReason)).toEqual(['role_revoked', 'credential_revoked']);
    expect(engine.spawned).toHaveLength(0);
  });

  test('a deprovisioning kill is SIGKILL at once, a user cancel a graceful stop; the reason of higher rank wins', async () => {
    identities.apply('u1', 1, makeUser('u1'), false);
    const job = jobOf('u1');
    const outcome = handler()(delivery(job));
    await spawned();
    const entry = running.ofUser('u1')[0];
    running.stop(entry, 'credential_revoked', Date.now());
    expect(engine.spawned[0].signals).toEqual(['SIGKILL']);
    identities.apply('u1', 2, makeUser('u1', { active: false }), false);
    expect(await outcome).toEqual({ kind: 'ack' });
    await reported(2);
    expect(statuses.at(-1)).toMatchObject({ status: 'canceled', cancelReason: 'owner_deprovisioned' });
    expect(engine.discarded).toBe(1);
    expect(engine.committed).toBe(0);
  });

  test('a user cancel is a graceful stop (SIGTERM) and ends user_request', async () => {
    identities.apply('u1', 1, makeUser('u1'), false);
    const outcome = handler()(delivery(jobOf('u1')));
    await spawned();
    running.stop(running.ofUser('u1')[0], 'user_request');
    expect(engine.spawned[0].signals).toEqual(['SIGTERM']);
    expect(await outcome).toEqual({ kind: 'ack' });
    await reported(2);
    expect(statuses.at(-1)).toMatchObject({ status: 'canceled', cancelReason: 'user_request' });
  });

  test('a run past its time limit ends canceled timeout and its output is discarded', async () => {
    identities.apply('u1', 1, makeUser('u1'), false);
    const outcome = handler()(delivery(jobOf('u1')));
    await spawned();
    engine.spawned[0].finish({ outcome: 'timed_out', exitCode: null, signal: 'SIGKILL' });
    expect(await outcome).toEqual({ kind: 'ack' });
    await reported(2);
    expect(statuses.at(-1)).toMatchObject({ status: 'canceled', cancelReason: 'timeout' });
    expect(engine.discarded).toBe(1);
  });

  test('a delivery past the attempt bound ends the job worker_lost and acks it', async () => {
    identities.apply('u1', 1, makeUser('u1'), false);
    expect(await handler()(delivery(jobOf('u1'), 4))).toEqual({ kind: 'ack' });
    await reported(1);
    expect(statuses).toMatchObject([{ status: 'canceled', cancelReason: 'worker_lost', attempt: 4, seq: 4001 }]);
  });

  test('ffmpeg killed by someone else is retried; on the last attempt the job fails', async () => {
    identities.apply('u1', 1, makeUser('u1'), false);
    const first = handler()(delivery(jobOf('u1'), 1));
    await spawned(1);
    engine.spawned[0].finish({ outcome: 'killed', exitCode: null, signal: 'SIGKILL' });
    expect((await first).kind).toBe('retry');
    const last = handler()(delivery(jobOf('u1'), 3));
    await spawned(2);
    engine.spawned[1].finish({ outcome: 'failed', exitCode: 1, error: { code: 'FFGATE_FFMPEG_FAILED', message: 'bad input' } });
    expect(await last).toEqual({ kind: 'ack' });
    await waitFor(() => statuses.at(-1)?.status === 'failed');
    expect(statuses.at(-1)).toMatchObject({ status: 'failed', error: { code: 'FFGATE_FFMPEG_FAILED' } });
  });
});

describe('identity view', () => {
  test('applies only newer versions', () => {
    const v = new IdentityView();
    expect(v.status('u')).toBe('unknown');
    expect(v.apply('u', 2, makeUser('u', { active: false }), false)).toBe(true);
    expect(v.apply('u', 1, makeUser('u'), false)).toBe(false);
    expect(v.status('u')).toBe('inactive');
    v.apply('u', 3, makeUser('u'), true);
    expect(v.status('u')).toBe('deleted');
    expect(v.activeState('u')).toBeUndefined();
  });
});
