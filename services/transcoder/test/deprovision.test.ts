import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { NatsBus } from '@ffgate/bus';
import { jobCancelSubject, type JobDispatchEvent } from '@ffgate/contracts';
import { probe } from '@ffgate/media';
import { describeWithFfmpeg, describeWithNats, processAlive, startNatsServer, waitFor, type NatsServerHandle } from '@ffgate/testing';
import { FakeIdp, makeUser } from './support/identity.ts';
import { makeMediaRoot } from './support/media.ts';
import { connect, dispatch, dispatchEvent, histogramCount, homeFiles, startReplica, StatusLog, type Replica } from './support/harness.ts';

describeWithNats('transcoder with real NATS', () => {
  describeWithFfmpeg('and real ffmpeg', () => {
    let nats: NatsServerHandle;
    let media: { root: string; cleanup(): void };
    let bus: NatsBus;
    let idp: FakeIdp;
    let statuses: StatusLog;
    let replica: Replica;

    beforeAll(async () => {
      media = makeMediaRoot();
      nats = await startNatsServer();
      bus = await connect(nats.url, 'test-driver');
      idp = new FakeIdp(bus);
      replica = await startReplica(nats.url, media.root, 'replica-a');
      statuses = await StatusLog.start(bus);
    });

    afterAll(async () => {
      await replica?.close();
      await statuses?.stop();
      await bus?.close();
      await nats?.cleanup();
      media?.cleanup();
    });

    const newUser = async (department: string | null = 'Broadcast') => {
      const user = makeUser(`u-${randomUUID()}`, { department });
      await idp.publish('identity.user.created', user);
      return user;
    };

    /** a long 1080p encode of `user`, running */
    const startLongJob = async (user: { id: string; userName: string }): Promise<{ job: JobDispatchEvent; pid: number }> => {
      const job = dispatchEvent(user, 'h264-1080p', 'broadcast', 'shared/long.mp4');
      await dispatch(bus, job);
      const running = await statuses.waitRunning(job.jobId);
      // a partial output exists once ffmpeg writes
      await waitFor(() => homeFiles(media.root, user.id).some((f) => f.endsWith('.part')), { message: 'no partial output' });
      return { job, pid: running.pid as number };
    };

    const expectKilled = async (job: JobDispatchEvent, pid: number, reason: string, userId: string) => {
      const end = await statuses.waitTerminal(job.jobId);
      expect(end).toMatchObject({ status: 'canceled', cancelReason: reason, worker: 'replica-a' });
      expect(processAlive(pid)).toBe(false);
      expect(homeFiles(media.root, userId)).toEqual([]);
    };

    test('a job runs to succeeded and its output is a playable 720p H.264 file', async () => {
      const user = await newUser(null);
      const job = dispatchEvent(user, 'h264-720p', 'default', 'shared/short.mp4');
      await dispatch(bus, job);
      const end = await statuses.waitTerminal(job.jobId);
      expect(end).toMatchObject({ status: 'succeeded', exitCode: 0, attempt: 1 });
      expect(statuses.running(job.jobId)?.seq).toBeLessThan(end.seq);
      const out = join(media.root, 'home', user.id, `${job.jobId}.mp4`);
      const probed = await probe(out);
      const video = probed.streams.find((s) => s.codecType === 'video');
      expect(video).toMatchObject({ codecName: 'h264', width: 1280, height: 720 });
      expect(homeFiles(media.root, user.id)).toEqual([`${job.jobId}.mp4`]);
    });

    test('an inactive owner’s job never spawns ffmpeg and ends canceled owner_deprovisioned', async () => {
      const user = await newUser(null);
      await idp.publish('identity.user.deactivated', { ...user, active: false });
      const job = dispatchEvent(user, 'h264-720p', 'default', 'shared/short.mp4');
      await dispatch(bus, job);
      const end = await statuses.waitTerminal(job.jobId);
      expect(end).toMatchObject({ status: 'canceled', cancelReason: 'owner_deprovisioned' });
      expect(statuses.running(job.jobId)).toBeUndefined();
      expect(existsSync(join(media.root, 'home', user.id, `${job.jobId}.mp4`))).toBe(false);
    });

    test('an unknown owner’s job is retried, then fails closed as owner_deprovisioned without running', async () => {
      const ghost = makeUser(`ghost-${randomUUID()}`);
      const job = dispatchEvent(ghost, 'h264-720p', 'default', 'shared/short.mp4');
      await dispatch(bus, job);
      const end = await statuses.waitTerminal(job.jobId, 40_000);
      expect(end).toMatchObject({ status: 'canceled', cancelReason: 'owner_deprovisioned', attempt: 3 });
      expect(statuses.running(job.jobId)).toBeUndefined();
    });

    test('identity.user.deactivated SIGKILLs the owner’s running ffmpeg and deletes the partial output', async () => {
      const user = await newUser();
      const before = await histogramCount(replica.metrics);
      const { job, pid } = await startLongJob(user);
      const progress = await waitFor(() => statuses.progressByJob.get(job.jobId)?.[0], { message: 'no progress event' });
      expect(progress.seq).toBeGreaterThan(1_000_000);
      expect(progress.outTimeMs === null || progress.outTimeMs >= 0).toBe(true);
      await idp.publish('identity.user.deactivated', { ...user, active: false });
      await expectKilled(job, pid, 'owner_deprovisioned', user.id);
      expect(await histogramCount(replica.metrics)).toBe(before + 1);
    });

    test('identity.user.deleted kills the running job', async () => {
      const user = await newUser();
      const before = await histogramCount(replica.metrics);
      const { job, pid } = await startLongJob(user);
      await idp.publish('identity.user.deleted', user);
      await expectKilled(job, pid, 'owner_deprovisioned', user.id);
      expect(await histogramCount(replica.metrics)).toBe(before + 1);
    });

    test('token.revoked for the user (revokedBefore) kills the running job as credential_revoked', async () => {
      const user = await newUser();
      const before = await histogramCount(replica.metrics);
      const { job, pid } = await startLongJob(user);
      await idp.revokeUser(user.id, 'client.revoked');
      await expectKilled(job, pid, 'credential_revoked', user.id);
      expect(await histogramCount(replica.metrics)).toBe(before + 1);
    });

    test('deactivation kills both running jobs of the owner, and the one queued behind them never starts', async () => {
      const user = await newUser();
      const before = await histogramCount(replica.metrics);
      const first = await startLongJob(user);
      const second = await startLongJob(user);
      const waiting = dispatchEvent(user, 'h264-1080p', 'broadcast', 'shared/long.mp4');
      await dispatch(bus, waiting);
      await idp.publish('identity.user.deactivated', { ...user, active: false });
      for (const { job, pid } of [first, second]) await expectKilled(job, pid, 'owner_deprovisioned', user.id);
      expect(await statuses.waitTerminal(waiting.jobId)).toMatchObject({ status: 'canceled', cancelReason: 'owner_deprovisioned' });
      expect(statuses.running(waiting.jobId)).toBeUndefined();
      expect(await histogramCount(replica.metrics)).toBe(before + 2);
    });

    test('token.revoked for one credential (jti) kills only the job submitted with it', async () => {
      const user = await newUser();
      const a = await startLongJob(user);
      const b = await startLongJob(user);
      const t = new Date();
      const revoked = { id: randomUUID(), type: 'token.revoked', time: t.toISOString(), userId: user.id, jti: a.job.owner.jti, expiresAt: new Date(t.getTime() + 600_000).toISOString(), reason: 'grant.removed' };
      await bus.publish(`token.revoked.${user.id}`, revoked);
      const end = await statuses.waitTerminal(a.job.jobId);
      expect(end).toMatchObject({ status: 'canceled', cancelReason: 'credential_revoked' });
      await waitFor(() => !processAlive(a.pid));
      expect(processAlive(b.pid)).toBe(true);
      expect(statuses.terminal(b.job.jobId)).toBeUndefined();
      await bus.publish(jobCancelSubject(b.job.jobId), { id: randomUUID(), type: 'job.cancel', time: new Date().toISOString(), jobId: b.job.jobId, reason: 'user_request' });
      await expectKilled(b.job, b.pid, 'user_request', user.id);
    });

    test('a department change that takes the profile away kills the job as role_revoked', async () => {
      const user = await newUser('Broadcast');
      const before = await histogramCount(replica.metrics);
      const { job, pid } = await startLongJob(user);
      await idp.publish('identity.user.updated', makeUser(user.id, { department: 'Sales' }));
      await expectKilled(job, pid, 'role_revoked', user.id);
      expect(await histogramCount(replica.metrics)).toBe(before + 1);
    });

    test('job.cancel stops the job as user_request', async () => {
      const user = await newUser();
      const { job, pid } = await startLongJob(user);
      const cancel = { id: randomUUID(), type: 'job.cancel', time: new Date().toISOString(), jobId: job.jobId, reason: 'user_request' };
      await bus.publish(jobCancelSubject(job.jobId), cancel);
      await expectKilled(job, pid, 'user_request', user.id);
    });

    test('a replica started later replays every identity event before it takes jobs', async () => {
      const known = replica.transcoder.stats.users;
      expect(known).toBeGreaterThan(5);
      const late = await startReplica(nats.url, media.root, 'replica-late', { queues: ['idle'] });
      try {
        expect(late.transcoder.stats).toMatchObject({ caughtUp: true, users: known });
        expect((await late.transcoder.ready()).ok).toBe(true);
      } finally {
        await late.close();
      }
    });

    test('/metrics names the queue depth and job counts', async () => {
      await waitFor(async () => (await replica.metrics.registry.metrics()).includes('ffgate_transcoder_queue_depth{'), { message: 'no queue depth' });
      const text = await replica.metrics.registry.metrics();
      expect(text).toMatch(/ffgate_transcoder_jobs_total\{status="succeeded"/);
      expect(text).toMatch(/ffgate_transcoder_jobs_total\{status="canceled",reason="owner_deprovisioned"/);
      if (process.env.FFGATE_PRINT_KILL_TIMES) console.log(text.split('\n').filter((l) => l.startsWith('ffgate_deprovision_to_kill')).join('\n'));
    });
  });
});
