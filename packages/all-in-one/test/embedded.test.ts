import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectBus, type Bus } from '@ffgate/bus';
import { openDatabase, type Database } from '@ffgate/db';
import { createLogger, createMetrics } from '@ffgate/telemetry';
import { describeWithFfmpeg, freePort, waitFor } from '@ffgate/testing';
import { composeAllInOne, type AllInOne } from '../src/compose.ts';
import { loadAllInOneConfig } from '../src/config.ts';

/**
 * The embedded default as a newcomer runs it: one process, PGlite and the persisted in-process bus
 * in a data directory. The README walkthrough (provision → client → credential → job → deprovision)
 * and a restart with a job still queued.
 */
const ADMIN = 'test-admin-token-0123456789';
let dir: string;
let port: number;
let running: { system: AllInOne; server: Server; database: Database; bus: Bus } | undefined;

async function boot(options: { transcoder: boolean }) {
  const config = loadAllInOneConfig({
    PORT: String(port),
    FFGATE_DATA_DIR: dir,
    FFGATE_MEDIA_ROOT: join(dir, 'media'),
    FFGATE_ADMIN_TOKEN: ADMIN,
    FFGATE_KEY_ENCRYPTION_KEY: 'k'.repeat(48),
    FFGATE_DRAIN_TIMEOUT_SECONDS: '1',
    LOG_LEVEL: 'silent',
  });
  const database = await openDatabase({ dataDir: join(dir, 'db') });
  const bus = await connectBus({ persistDir: join(dir, 'bus') });
  const logger = createLogger({ name: 'test', level: 'silent' });
  const system = composeAllInOne({ config, database, bus, logger, metrics: createMetrics({ service: 'test' }), transcoder: options.transcoder });
  await system.start();
  const server = await new Promise<Server>((resolve) => {
    const s = system.app.listen(port, '127.0.0.1', () => resolve(s));
  });
  running = { system, server, database, bus };
}

async function shutdown() {
  if (!running) return;
  const { system, server, database, bus } = running;
  running = undefined;
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await system.stop();
  await bus.close();
  await database.close();
}

const base = () => `http://127.0.0.1:${port}`;
async function call(method: string, path: string, token: string, body?: unknown, type = 'application/json') {
  const res = await fetch(`${base()}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': type }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ffgate-aio-'));
  mkdirSync(join(dir, 'media', 'shared'), { recursive: true });
});
afterAll(async () => {
  await shutdown();
  rmSync(dir, { recursive: true, force: true });
});

describeWithFfmpeg('all-in-one (embedded PGlite + persisted in-process bus)', () => {
  let scimToken: string;
  let userId: string;
  let credential: string;

  beforeAll(async () => {
    port = await freePort();
    execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=duration=2:size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine=duration=2',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', join(dir, 'media', 'shared', 'clip.mp4')]);
    execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=duration=120:size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine=duration=120',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', join(dir, 'media', 'shared', 'long.mp4')]);
    await boot({ transcoder: true });
  });

  test('the README walkthrough: provision, credential, job, deprovision', async () => {
    const conn = await call('POST', '/admin/v1/scim-connections', ADMIN, { name: 'okta-test' });
    expect(conn.status).toBe(201);
    scimToken = conn.body.token;
    const user = await call('POST', '/scim/v2/Users', scimToken, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
      userName: 'ada@example.com',
      active: true,
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Broadcast' },
    }, 'application/scim+json');
    expect(user.status).toBe(201);
    userId = user.body.id;

    // the token service learns about the user from the IDENTITY stream
    const client = await waitFor(async () => {
      const r = await call('POST', '/admin/v1/clients', ADMIN, { userId, name: 'ada-pipeline' });
      return r.status === 201 ? r.body : undefined;
    }, { message: 'client creation for a provisioned user' });
    const minted = await fetch(`${base()}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(minted.status).toBe(200);
    credential = ((await minted.json()) as { access_token: string }).access_token;

    const job = await call('POST', '/v1/jobs', credential, { profile: 'h264-1080p', input: 'shared/clip.mp4', output: 'home/clip.mp4' });
    expect(job.status).toBe(202);
    const done = await waitFor(async () => {
      const r = await call('GET', `/v1/jobs/${job.body.id}`, credential);
      return ['succeeded', 'failed', 'canceled'].includes(r.body.status) ? r.body : undefined;
    }, { timeoutMs: 60_000, message: 'job to finish' });
    expect(done.status).toBe('succeeded');
    expect(existsSync(join(dir, 'media', 'home', userId, 'clip.mp4'))).toBe(true);

    // a long job, then the IdP deactivates the user: ffmpeg is killed, the job ends canceled
    const long = await call('POST', '/v1/jobs', credential, { profile: 'h264-1080p', input: 'shared/long.mp4', output: 'home/long.mp4' });
    await waitFor(async () => (await call('GET', `/v1/jobs/${long.body.id}`, credential)).body.status === 'running', {
      timeoutMs: 30_000,
      message: 'long job running',
    });
    const patch = await call('PATCH', `/scim/v2/Users/${userId}`, scimToken, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    }, 'application/scim+json');
    expect(patch.status).toBe(200);
    const canceled = await waitFor(async () => {
      const r = await call('GET', `/v1/jobs/${long.body.id}`, ADMIN);
      return r.body.status === 'canceled' ? r.body : undefined;
    }, { timeoutMs: 20_000, message: 'long job canceled' });
    expect(canceled.cancelReason).toBe('owner_deprovisioned');
    expect(existsSync(join(dir, 'media', 'home', userId, 'long.mp4'))).toBe(false);
    // and no new credential for a deactivated user
    const again = await fetch(`${base()}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(again.status).toBeGreaterThanOrEqual(400);
  });

  test('a job queued before a restart runs after it', async () => {
    const user = await call('POST', '/scim/v2/Users', scimToken, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'grace@example.com',
      active: true,
    }, 'application/scim+json');
    const graceId = user.body.id;
    const client = await waitFor(async () => {
      const r = await call('POST', '/admin/v1/clients', ADMIN, { userId: graceId, name: 'grace' });
      return r.status === 201 ? r.body : undefined;
    }, { message: 'client for grace' });
    const minted = await fetch(`${base()}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${client.client_id}&client_secret=${client.client_secret}`,
    });
    const token = ((await minted.json()) as { access_token: string }).access_token;

    // restart without workers, submit, restart again with workers: the queued job must run
    await shutdown();
    await boot({ transcoder: false });
    const job = await call('POST', '/v1/jobs', token, { profile: 'h264-720p', input: 'shared/clip.mp4', output: 'home/after-restart.mp4' });
    expect(job.status).toBe(202);
    await shutdown();
    await boot({ transcoder: true });
    const done = await waitFor(async () => {
      const r = await call('GET', `/v1/jobs/${job.body.id}`, ADMIN);
      return ['succeeded', 'failed', 'canceled'].includes(r.body.status) ? r.body : undefined;
    }, { timeoutMs: 60_000, message: 'queued job to run after the restart' });
    expect(done.status).toBe('succeeded');
    expect(existsSync(join(dir, 'media', 'home', graceId, 'after-restart.mp4'))).toBe(true);
  });
});
