import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { NatsBus } from '@ffgate/bus';
import { describeWithFfmpeg, describeWithNats, processAlive, startNatsServer, type NatsServerHandle } from '@ffgate/testing';
import { FakeIdp, makeUser } from './support/identity.ts';
import { makeMediaRoot } from './support/media.ts';
import { connect, dispatch, dispatchEvent, startReplica, StatusLog, type Replica } from './support/harness.ts';

const policy = (broadcastGrant: boolean) =>
  JSON.stringify({
    version: 1,
    defaults: { profiles: ['h264-720p'], queues: ['default'], maxRunning: 1, maxQueued: 3 },
    rules: broadcastGrant ? [{ name: 'broadcast', match: { department: 'Broadcast' }, grant: { profiles: ['h264-1080p'], queues: ['broadcast'] } }] : [],
  });

describeWithNats('transcoder policy file', () => {
  describeWithFfmpeg('and real ffmpeg', () => {
    let nats: NatsServerHandle;
    let media: { root: string; cleanup(): void };
    let dir: string;
    let bus: NatsBus;
    let statuses: StatusLog;
    let replica: Replica;

    beforeAll(async () => {
      media = makeMediaRoot();
      dir = mkdtempSync(join(tmpdir(), 'ffgate-transcoder-policy-'));
      writeFileSync(join(dir, 'policy.json'), policy(true));
      nats = await startNatsServer();
      bus = await connect(nats.url, 'test-driver');
      replica = await startReplica(nats.url, media.root, 'replica-p', { policy: join(dir, 'policy.json') });
      statuses = await StatusLog.start(bus);
    });

    afterAll(async () => {
      await replica?.close();
      await statuses?.stop();
      await bus?.close();
      await nats?.cleanup();
      media?.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    test('a policy file change that takes a running profile away kills the job as role_revoked', async () => {
      const user = makeUser(`u-${randomUUID()}`, { department: 'Broadcast' });
      await new FakeIdp(bus).publish('identity.user.created', user);
      const job = dispatchEvent(user, 'h264-1080p', 'broadcast', 'shared/long.mp4');
      await dispatch(bus, job);
      const running = await statuses.waitRunning(job.jobId);

      writeFileSync(join(dir, 'policy.json'), policy(false));

      expect(await statuses.waitTerminal(job.jobId)).toMatchObject({ status: 'canceled', cancelReason: 'role_revoked', worker: 'replica-p' });
      expect(processAlive(running.pid as number)).toBe(false);
    });
  });
});
