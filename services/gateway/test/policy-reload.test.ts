import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createMemoryBus, silentLogger, type MemoryBus } from '@ffgate/bus';
import type { Database } from '@ffgate/db';
import { FakeIdp, forEachDatabase, waitFor } from '@ffgate/testing';
import { api, FakeWorkers, Keys, runGateway, spec, waitForUser, type RunningGateway } from './harness.ts';

const policy = (maxRunning: number, profiles: string[]) =>
  JSON.stringify({ version: 1, defaults: { profiles, queues: ['default'], maxRunning, maxQueued: 10 }, rules: [] });

forEachDatabase('gateway policy reload', (dbs) => {
  let dir: string;
  let file: string;
  let database: Database;
  let bus: MemoryBus;
  let keys: Keys;
  let gw: RunningGateway;
  let workers: FakeWorkers;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ffgate-gw-policy-'));
    file = join(dir, 'policy.json');
    writeFileSync(file, policy(1, ['h264-720p', 'audio-aac']));
    database = await dbs.open();
    bus = createMemoryBus({ logger: silentLogger });
    keys = await Keys.create();
    gw = await runGateway({ database, bus, keys, config: { policy: file } });
    workers = new FakeWorkers(bus);
    await workers.start(['default']);
  });

  afterAll(async () => {
    await workers?.stop();
    await gw?.close();
    await bus?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a higher maxRunning dispatches waiting jobs; a profile taken away cancels its jobs with role_revoked', async () => {
    const user = randomUUID();
    await new FakeIdp(bus).create(user);
    await waitForUser(database, user);
    const token = await keys.mint(user, { profiles: ['h264-720p', 'audio-aac'] });
    const a = (await api(gw.url, 'POST', '/v1/jobs', { token, body: spec() })).body.id;
    const b = (await api(gw.url, 'POST', '/v1/jobs', { token, body: spec() })).body.id;
    const audio = (await api(gw.url, 'POST', '/v1/jobs', { token, body: spec({ profile: 'audio-aac', output: `home/${randomUUID()}.m4a` }) })).body.id;
    await waitFor(() => workers.dispatched.some((d) => d.jobId === a));
    expect(workers.dispatched.some((d) => d.jobId === b)).toBe(false);

    writeFileSync(file, policy(3, ['h264-720p', 'audio-aac']));
    await gw.service.reloadPolicy();
    await waitFor(() => [b, audio].every((id) => workers.dispatched.some((d) => d.jobId === id)));

    writeFileSync(file, policy(3, ['h264-720p']));
    await gw.service.reloadPolicy();
    const cancels: string[] = [];
    await bus.consume<{ jobId: string; reason: string }>({ stream: 'JOB_EVENTS', filterSubject: 'job.cancel.>', deliver: 'all' }, async (d) => {
      cancels.push(`${d.event.jobId}:${d.event.reason}`);
      return { kind: 'ack' };
    });
    await waitFor(() => cancels.includes(`${audio}:role_revoked`));
    expect(cancels.filter((c) => c.startsWith(a) || c.startsWith(b))).toEqual([]);
  });
});
