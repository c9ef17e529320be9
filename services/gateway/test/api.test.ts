import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createMemoryBus, silentLogger, type MemoryBus } from '@ffgate/bus';
import type { Database } from '@ffgate/db';
import { FakeIdp, forEachDatabase, waitFor } from '@ffgate/testing';
import { ADMIN_TOKEN, POLICY, api, waitForUser, FakeWorkers, Keys, readEvents, runGateway, spec, type RunningGateway } from './harness.ts';

forEachDatabase('gateway job API (in-process bus)', (dbs) => {
  let database: Database;
  let bus: MemoryBus;
  let keys: Keys;
  let gw: RunningGateway;
  let idp: FakeIdp;
  let workers: FakeWorkers;

  beforeAll(async () => {
    database = await dbs.open();
    bus = createMemoryBus({ logger: silentLogger });
    keys = await Keys.create();
    gw = await runGateway({ database, bus, keys, config: { policy: POLICY } });
    idp = new FakeIdp(bus);
    workers = new FakeWorkers(bus);
    await workers.start();
  });

  afterAll(async () => {
    await workers?.stop();
    await gw?.close();
    await bus?.close();
  });

  async function newUser(overrides: Parameters<FakeIdp['create']>[1] = {}): Promise<string> {
    const id = randomUUID();
    await idp.create(id, overrides);
    await waitForUser(database, id);
    return id;
  }

  test('serves an OpenAPI 3.1 document describing every route', async () => {
    const res = await api(gw.url, 'GET', '/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths).sort()).toEqual(
      ['/admin/v1/audit', '/admin/v1/audit/verify', '/v1/jobs', '/v1/jobs/{id}', '/v1/jobs/{id}/cancel', '/v1/jobs/{id}/events', '/v1/openapi.json', '/v1/profiles'].sort(),
    );
  });

  test('submit → 202 queued, dispatched within maxRunning; get shows owner, profile, queue', async () => {
    const user = await newUser();
    const token = await keys.mint(user);
    const res = await api(gw.url, 'POST', '/v1/jobs', { token, body: spec({ metadata: { ticket: 'T-1' } }) });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'queued', owner: { id: user, userName: `${user}@example.com` }, profile: 'h264-720p', queue: 'default', metadata: { ticket: 'T-1' } });
    await waitFor(() => workers.dispatched.find((d) => d.jobId === res.body.id));
    const dispatch = workers.dispatched.find((d) => d.jobId === res.body.id)!;
    expect(dispatch).toMatchObject({ queue: 'default', profile: 'h264-720p', owner: { userId: user, clientId: `client-${user}` }, limits: { maxRuntimeSec: 600 } });
    expect(dispatch.owner.iat).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    expect(dispatch.owner.iat).toBeGreaterThan(Date.now() / 1000 - 60);
    const got = await api(gw.url, 'GET', `/v1/jobs/${res.body.id}`, { token });
    expect(got.status).toBe(200);
    expect(got.body.dispatchedAt).not.toBeNull();
  });

  test('a retried submit with the same Idempotency-Key returns the same job; another spec with it is a conflict', async () => {
    const user = await newUser();
    const token = await keys.mint(user);
    const body = spec();
    const headers = { 'idempotency-key': `key-${randomUUID()}` };
    const first = await api(gw.url, 'POST', '/v1/jobs', { token, body, headers });
    const again = await api(gw.url, 'POST', '/v1/jobs', { token, body, headers });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(first.body.id);
    const other = await api(gw.url, 'POST', '/v1/jobs', { token, body: spec(), headers });
    expect(other.status).toBe(409);
    const list = await api(gw.url, 'GET', '/v1/jobs', { token });
    expect(list.body.items).toHaveLength(1);
  });

  test('401 for missing, malformed, foreign-issuer, expired and unknown-key credentials', async () => {
    const user = await newUser();
    const now = Math.floor(Date.now() / 1000);
    const stranger = await Keys.create();
    const cases: [string | undefined, string][] = [
      [undefined, 'none'],
      ['not-a-jwt', 'malformed'],
      [await keys.mint(user, { issuer: 'http://evil.test' }), 'issuer'],
      [await keys.mint(user, { iatSec: now - 1200, expSec: now - 600 }), 'expired'],
      [await stranger.mint(user), 'unknown key'],
    ];
    for (const [token, label] of cases) {
      const res = await api(gw.url, 'POST', '/v1/jobs', { token, body: spec() });
      expect([label, res.status]).toEqual([label, 401]);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toMatch(/^FFGATE_GW_/);
    }
  });

  test('403 when the profile or its queue is not in the credential', async () => {
    const user = await newUser();
    const noQueue = await keys.mint(user, { profiles: ['h264-1080p'], queues: ['default'] });
    const r1 = await api(gw.url, 'POST', '/v1/jobs', { token: noQueue, body: spec({ profile: 'h264-1080p' }) });
    expect(r1.status).toBe(403);
    expect(r1.body.detail).toContain('queue broadcast');
    const token = await keys.mint(user);
    const r2 = await api(gw.url, 'POST', '/v1/jobs', { token, body: spec({ profile: 'hevc-1080p' }) });
    expect(r2.status).toBe(403);
    expect(r2.body.detail).toContain('hevc-1080p');
  });

  test('400 with a clear message for bad specs and path attacks; 413 for a huge body', async () => {
    const user = await newUser();
    const token = await keys.mint(user);
    const bad: [Record<string, unknown>, RegExp][] = [
      [spec({ input: 'shared/../../etc/passwd' }), /input/],
      [spec({ input: '/etc/passwd' }), /absolute|shared\/ or home\//],
      [spec({ input: 'http://example.com/x.mp4' }), /URL|protocol|":"/],
      [spec({ input: 'concat:shared/clip.mp4|shared/clip.mp4' }), /protocol|":"/],
      [spec({ input: 'subfile:,,start,0,end,0,,:shared/clip.mp4' }), /protocol|":"/],
      [spec({ output: 'shared/stolen.mp4' }), /output/],
      [spec({ input: 'shared/missing.mp4' }), /does not exist/],
      [spec({ profile: 'no-such-profile' }), /unknown profile/],
      [spec({ args: ['-i', '/etc/passwd'] }), /args|Unrecognized/i],
      [spec({ metadata: { blob: 'x'.repeat(20_000) } }), /metadata/],
    ];
    for (const [body, message] of bad) {
      const res = await api(gw.url, 'POST', '/v1/jobs', { token, body });
      expect([JSON.stringify(body).slice(0, 80), res.status]).toEqual([JSON.stringify(body).slice(0, 80), 400]);
      expect(res.body.detail).toMatch(message);
    }
    const huge = await api(gw.url, 'POST', '/v1/jobs', { token, body: spec({ metadata: { blob: 'x'.repeat(100_000) } }) });
    expect(huge.status).toBe(413);
    const notJson = await api(gw.url, 'POST', '/v1/jobs', { token, rawBody: '{nope', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
  });

  test('429 with Retry-After when the waiting-job limit is reached', async () => {
    const user = await newUser();
    const token = await keys.mint(user);
    // maxRunning 1: the first is dispatched, the next 3 wait (maxQueued 3), the 5th is refused
    for (let i = 0; i < 4; i++) expect((await api(gw.url, 'POST', '/v1/jobs', { token, body: spec() })).status).toBe(202);
    const refused = await api(gw.url, 'POST', '/v1/jobs', { token, body: spec() });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  test('list: only the caller\'s jobs, newest first, filtered by status, paginated by cursor; admin sees any', async () => {
    const user = await newUser();
    const other = await newUser();
    const token = await keys.mint(user);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await api(gw.url, 'POST', '/v1/jobs', { token, body: spec() })).body.id);
    await api(gw.url, 'POST', '/v1/jobs', { token: await keys.mint(other), body: spec() });
    const page1 = await api(gw.url, 'GET', '/v1/jobs?limit=2', { token });
    expect(page1.body.items.map((j: { id: string }) => j.id)).toEqual([ids[2], ids[1]]);
    const page2 = await api(gw.url, 'GET', `/v1/jobs?limit=2&cursor=${page1.body.nextCursor}`, { token });
    expect(page2.body.items.map((j: { id: string }) => j.id)).toEqual([ids[0]]);
    expect(page2.body.nextCursor).toBeNull();
    await api(gw.url, 'POST', `/v1/jobs/${ids[2]}/cancel`, { token });
    const canceled = await api(gw.url, 'GET', '/v1/jobs?status=canceled', { token });
    expect(canceled.body.items.map((j: { id: string }) => j.id)).toEqual([ids[2]]);
    expect((await api(gw.url, 'GET', '/v1/jobs?status=bogus', { token })).status).toBe(400);
    expect((await api(gw.url, 'GET', `/v1/jobs/${ids[0]}`, { token: await keys.mint(other) })).status).toBe(404);
    expect((await api(gw.url, 'GET', `/v1/jobs/${ids[0]}`, { token: ADMIN_TOKEN })).status).toBe(200);
  });

  test('cancel: a waiting job ends canceled at once (user_request); a dispatched one gets job.cancel', async () => {
    const user = await newUser();
    const token = await keys.mint(user);
    const cancels: { jobId: string; reason: string }[] = [];
    const sub = await bus.consume<{ jobId: string; reason: string }>({ stream: 'JOB_EVENTS', filterSubject: 'job.cancel.>', deliver: 'new' }, async (d) => {
      cancels.push(d.event);
      return { kind: 'ack' };
    });
    const running = (await api(gw.url, 'POST', '/v1/jobs', { token, body: spec() })).body;
    const waiting = (await api(gw.url, 'POST', '/v1/jobs', { token, body: spec() })).body;
    expect(running.dispatchedAt).not.toBeNull();
    expect(waiting.dispatchedAt).toBeNull();
    const c1 = await api(gw.url, 'POST', `/v1/jobs/${waiting.id}/cancel`, { token });
    expect(c1.status).toBe(202);
    expect(c1.body).toMatchObject({ status: 'canceled', cancelReason: 'user_request' });
    const c2 = await api(gw.url, 'POST', `/v1/jobs/${running.id}/cancel`, { token: ADMIN_TOKEN });
    expect(c2.status).toBe(202);
    await waitFor(() => cancels.find((c) => c.jobId === running.id));
    expect(cancels.find((c) => c.jobId === running.id)!.reason).toBe('user_request');
    await workers.report(running.id, 'canceled', { cancelReason: 'user_request' });
    await waitFor(async () => (await api(gw.url, 'GET', `/v1/jobs/${running.id}`, { token })).body.status === 'canceled');
    expect((await api(gw.url, 'POST', `/v1/jobs/${running.id}/cancel`, { token: await keys.mint(randomUUID()) })).status).toBe(404);
    await sub.stop();
  });

  test('profiles: only what the credential allows', async () => {
    const user = await newUser();
    const res = await api(gw.url, 'GET', '/v1/profiles', { token: await keys.mint(user, { profiles: ['h264-720p', 'h264-1080p'], queues: ['default'] }) });
    expect(res.status).toBe(200);
    expect(res.body.items.map((p: { name: string }) => p.name)).toEqual(['h264-720p']);
  });

  test('SSE: status changes and progress until a terminal status, then the stream ends', async () => {
    const user = await newUser();
    const token = await keys.mint(user);
    const job = (await api(gw.url, 'POST', '/v1/jobs', { token, body: spec() })).body;
    const seen: string[] = [];
    const streaming = readEvents(gw.url, `/v1/jobs/${job.id}/events`, token, (e) => seen.push(`${e.event}:${e.data.status}`));
    await waitFor(() => seen.length >= 1);
    await workers.report(job.id, 'running');
    await waitFor(() => seen.includes('status:running'));
    await bus.publish(`job.progress.${job.id}`, { id: randomUUID(), type: 'job.progress', time: new Date().toISOString(), jobId: job.id, seq: 1, percent: 50, fps: 30, speed: 1.5, outTimeMs: 5000 });
    await waitFor(() => seen.includes('progress:running'));
    await workers.report(job.id, 'succeeded');
    const events = await streaming;
    expect(events[0]).toMatchObject({ event: 'status', data: { status: 'queued' } });
    expect(events.find((e) => e.event === 'progress')!.data.progress).toEqual({ percent: 50, fps: 30, speed: 1.5, outTimeMs: 5000 });
    expect(events.at(-1)).toMatchObject({ event: 'status', data: { status: 'succeeded' } });
  });

  test('status ordering: a late running never overwrites canceled; stale seqs are ignored; the next job is dispatched', async () => {
    const user = await newUser();
    const token = await keys.mint(user);
    const a = (await api(gw.url, 'POST', '/v1/jobs', { token, body: spec() })).body;
    const b = (await api(gw.url, 'POST', '/v1/jobs', { token, body: spec() })).body;
    await workers.report(a.id, 'running', { seq: 1002 });
    await workers.report(a.id, 'queued', { seq: 1001 }); // stale: older than running
    await workers.report(a.id, 'canceled', { seq: 1003, cancelReason: 'user_request' });
    await workers.report(a.id, 'running', { seq: 2001 }); // a late running of a redelivery
    await waitFor(() => gw.service.stats.status.final);
    const got = (await api(gw.url, 'GET', `/v1/jobs/${a.id}`, { token })).body;
    expect(got).toMatchObject({ status: 'canceled', cancelReason: 'user_request' });
    expect(gw.service.stats.status.stale).toBeGreaterThanOrEqual(1);
    // a's end freed the slot: b is dispatched
    await waitFor(() => workers.dispatched.find((d) => d.jobId === b.id));
  });

  test('503 (not 401) when the verifier cannot decide: the token service\'s keys are unreachable', async () => {
    const blind = await runGateway({ database, bus, keys, jwks: { url: 'http://127.0.0.1:9/.well-known/jwks.json' }, migrate: false, config: { policy: POLICY } });
    try {
      const res = await api(blind.url, 'GET', '/v1/profiles', { token: await keys.mint(randomUUID()) });
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('FFGATE_GW_VERIFIER_UNAVAILABLE');
      expect(res.headers.get('retry-after')).toBeTruthy();
    } finally {
      await blind.close();
    }
  });
});
