import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_POLICY_PATH } from '@ffgate/policy';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import type { NatsBus } from '@ffgate/bus';
import { jobCancelSubject, type JobDispatchEvent } from '@ffgate/contracts';
import { describeWithFfmpeg, describeWithNats, processAlive, startNatsServer, waitFor, type NatsServerHandle } from '@ffgate/testing';
import { spawnReplica, readyz, type ChildReplica } from './support/child.ts';
import { FakeIdp, makeUser } from './support/identity.ts';
import { makeMediaRoot } from './support/media.ts';
import { connect, dispatch, dispatchEvent, homeFiles, startReplica, StatusLog, type Replica } from './support/harness.ts';

describeWithNats('transcoder replicas over NATS', () => {
  describeWithFfmpeg('with real ffmpeg', () => {
    let nats: NatsServerHandle;
    let media: { root: string; cleanup(): void };
    let bus: NatsBus;
    let idp: FakeIdp;
    let statuses: StatusLog;
    const replicas: Replica[] = [];
    const children: ChildReplica[] = [];

    beforeEach(async () => {
      media = makeMediaRoot();
      nats = await startNatsServer();
      bus = await connect(nats.url, 'test-driver');
      idp = new FakeIdp(bus);
      statuses = await StatusLog.start(bus);
    });

    afterEach(async () => {
      for (const c of children.splice(0)) c.child.kill('SIGKILL');
      for (const r of replicas.splice(0)) await r.close();
      await statuses.stop();
      await bus.close();
      await nats.cleanup();
      media.cleanup();
    });

    const broadcastUser = async () => {
      const user = makeUser(`u-${randomUUID()}`, { department: 'Broadcast' });
      await idp.publish('identity.user.created', user);
      return user;
    };
    const cancel = (job: JobDispatchEvent) =>
      bus.publish(jobCancelSubject(job.jobId), { id: randomUUID(), type: 'job.cancel', time: new Date().toISOString(), jobId: job.jobId, reason: 'user_request' });

    const childEnv = (id: string, extra: Record<string, string> = {}) => ({
      NATS_URL: nats.url,
      FFGATE_MEDIA_ROOT: media.root,
      FFGATE_REPLICA_ID: id,
      FFGATE_QUEUES: 'broadcast',
      FFGATE_CONCURRENCY: '1',
      FFGATE_JOB_ACK_WAIT_SECONDS: '3',
      ...extra,
    });

    test('two replicas share one queue: every job runs exactly once', async () => {
      replicas.push(await startReplica(nats.url, media.root, 'r1'), await startReplica(nats.url, media.root, 'r2'));
      const user = makeUser(`u-${randomUUID()}`);
      await idp.publish('identity.user.created', user);
      const jobs = Array.from({ length: 6 }, () => dispatchEvent(user, 'h264-720p', 'default', 'shared/short.mp4'));
      for (const job of jobs) await dispatch(bus, job);
      for (const job of jobs) expect(await statuses.waitTerminal(job.jobId, 60_000)).toMatchObject({ status: 'succeeded' });
      for (const job of jobs) expect(statuses.of(job.jobId).filter((s) => s.status === 'running')).toHaveLength(1);
      const workers = new Set(jobs.map((j) => statuses.terminal(j.jobId)?.worker));
      expect([...workers].every((w) => w === 'r1' || w === 'r2')).toBe(true);
      expect(homeFiles(media.root, user.id).sort()).toEqual(jobs.map((j) => `${j.jobId}.mp4`).sort());
    });

    test('a policy file change that takes a grant away kills the running jobs it covered (role_revoked)', async () => {
      const policyFile = join(media.root, 'policy.yaml');
      const original = readFileSync(DEFAULT_POLICY_PATH, 'utf8');
      writeFileSync(policyFile, original);
      replicas.push(await startReplica(nats.url, media.root, 'r-policy', { queues: ['broadcast'], concurrency: 1, policy: policyFile }));
      const user = await broadcastUser();
      const job = dispatchEvent(user, 'h264-1080p', 'broadcast', 'shared/long.mp4');
      await dispatch(bus, job);
      const running = await statuses.waitRunning(job.jobId);
      writeFileSync(policyFile, original.replace('match: { department: Broadcast }', 'match: { department: Nobody }'));
      expect(await statuses.waitTerminal(job.jobId)).toMatchObject({ status: 'canceled', cancelReason: 'role_revoked' });
      expect(processAlive(running.pid as number)).toBe(false);
    });

    test('a drain lets a running job finish before it returns', async () => {
      const r = await startReplica(nats.url, media.root, 'r-drain', { queues: ['default'], concurrency: 1, drainTimeoutSeconds: 60 });
      const user = makeUser(`u-${randomUUID()}`);
      await idp.publish('identity.user.created', user);
      const job = dispatchEvent(user, 'h264-720p', 'default', 'shared/short.mp4');
      await dispatch(bus, job);
      await statuses.waitRunning(job.jobId);
      await r.close();
      expect(await statuses.waitTerminal(job.jobId)).toMatchObject({ status: 'succeeded', worker: 'r-drain', attempt: 1 });
    });

    test('SIGTERM drains a child replica: exit 0, its unfinished job is redelivered to the other replica', async () => {
      const a = await spawnReplica(childEnv('child-a', { FFGATE_DRAIN_TIMEOUT_SECONDS: '1' }));
      children.push(a);
      await waitFor(() => readyz(a.port), { timeoutMs: 20_000, message: `child not ready:\n${a.output()}` });
      const user = await broadcastUser();
      const job = dispatchEvent(user, 'h264-1080p', 'broadcast', 'shared/long.mp4');
      await dispatch(bus, job);
      const first = await statuses.waitRunning(job.jobId);
      expect(first.worker).toBe('child-a');

      replicas.push(await startReplica(nats.url, media.root, 'r-b', { queues: ['broadcast'], concurrency: 1 }, 3_000));
      a.child.kill('SIGTERM');
      expect(await a.exit).toEqual({ code: 0, signal: null });
      expect(processAlive(first.pid as number)).toBe(false);

      const second = await waitFor(() => statuses.of(job.jobId).find((s) => s.status === 'running' && s.worker === 'r-b'), { timeoutMs: 30_000 });
      expect(second.attempt).toBe(2);
      expect(second.seq).toBeGreaterThan(first.seq);
      expect(statuses.terminal(job.jobId)).toBeUndefined();
      await cancel(job);
      expect(await statuses.waitTerminal(job.jobId)).toMatchObject({ status: 'canceled', cancelReason: 'user_request', worker: 'r-b' });
    });

    test('SIGKILL of a child replica kills its ffmpeg too, and the job does not stay running', async () => {
      // one attempt allowed: the redelivery after the lost worker ends the job worker_lost
      const a = await spawnReplica(childEnv('child-k', { FFGATE_JOB_MAX_ATTEMPTS: '1' }));
      children.push(a);
      await waitFor(() => readyz(a.port), { timeoutMs: 20_000, message: `child not ready:\n${a.output()}` });
      const user = await broadcastUser();
      const job = dispatchEvent(user, 'h264-1080p', 'broadcast', 'shared/long.mp4');
      await dispatch(bus, job);
      const running = await statuses.waitRunning(job.jobId);
      expect(running.worker).toBe('child-k');

      a.child.kill('SIGKILL');
      await a.exit;
      await waitFor(() => !processAlive(running.pid as number), { message: 'ffmpeg outlived its SIGKILLed worker' });

      replicas.push(await startReplica(nats.url, media.root, 'r-c', { queues: ['broadcast'], concurrency: 1, jobMaxAttempts: 1 }, 3_000));
      const end = await statuses.waitTerminal(job.jobId, 30_000);
      expect(end).toMatchObject({ status: 'canceled', cancelReason: 'worker_lost', worker: 'r-c', attempt: 2 });
    });

    test('fail closed: a replica that loses NATS stops its running ffmpeg once the revocation feed is stale', async () => {
      const r = await startReplica(nats.url, media.root, 'r-stale', { queues: ['broadcast'], concurrency: 1, revocationStaleSeconds: 1 }, 3_000);
      replicas.push(r);
      const user = await broadcastUser();
      const job = dispatchEvent(user, 'h264-1080p', 'broadcast', 'shared/long.mp4');
      await dispatch(bus, job);
      const running = await statuses.waitRunning(job.jobId);
      await nats.stop();
      await waitFor(() => !processAlive(running.pid as number), { timeoutMs: 15_000, message: 'ffmpeg kept running without the revocation feed' });
      expect(r.transcoder.stats.running).toBe(0);
      expect(homeFiles(media.root, user.id)).toEqual([]);
      expect((await r.transcoder.ready()).ok).toBe(false);

      // back online: the job was handed back and runs again (nothing ended it meanwhile)
      await nats.restart();
      const again = await waitFor(() => statuses.of(job.jobId).find((s) => s.status === 'running' && s.attempt > 1), { timeoutMs: 30_000 });
      expect(again.worker).toBe('r-stale');
      await cancel(job);
      expect(await statuses.waitTerminal(job.jobId)).toMatchObject({ status: 'canceled', cancelReason: 'user_request' });
    });
  });
});
