import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { silentLogger, type Bus } from '@ffgate/bus';
import { jobStatusSubject, JobsStream, type JobDispatchEvent, type JobStatus, type CancelReason } from '@ffgate/contracts';
import type { Database } from '@ffgate/db';
import { assertMatchesOpenApi, GatewayClient, type HttpResponse } from '@ffgate/e2e';
import { waitFor } from '@ffgate/testing';
import { sql, type SQL } from 'drizzle-orm';
import { createGatewayService, type GatewayService, type GatewayServiceConfig, type GatewayServiceDeps } from '../src/index.ts';

/** maxRunning 1 / maxQueued 3 for everyone; Broadcast gets the 1080p profiles and maxRunning 2 */
export const POLICY = JSON.stringify({
  version: 1,
  defaults: { profiles: ['h264-720p', 'audio-aac'], queues: ['default'], maxRunning: 1, maxQueued: 3 },
  rules: [{ name: 'broadcast', match: { department: 'Broadcast' }, grant: { profiles: ['h264-1080p', 'hevc-1080p'], queues: ['broadcast'], maxRunning: 2 } }],
});

export const ADMIN_TOKEN = 'gateway-admin-token-0123456789';
export const ISSUER = 'http://token.ffgate.test';

/** A signing key and a JWKS, standing in for the token service. */
export class Keys {
  readonly kid = `k-${randomUUID()}`;
  #privateKey!: CryptoKey;
  publicJwk!: JWK;
  static async create(): Promise<Keys> {
    const k = new Keys();
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    k.#privateKey = privateKey;
    k.publicJwk = { ...(await exportJWK(publicKey)), kid: k.kid, alg: 'EdDSA', use: 'sig' };
    return k;
  }
  get jwks() {
    return { keys: { keys: [this.publicJwk] } };
  }
  /** a job credential for `sub` (defaults: every profile/queue of the default + broadcast rules, 10 min) */
  async mint(sub: string, overrides: { profiles?: string[]; queues?: string[]; expSec?: number; iatSec?: number; jti?: string; issuer?: string } = {}): Promise<string> {
    const iat = overrides.iatSec ?? Math.floor(Date.now() / 1000);
    return new SignJWT({ client_id: `client-${sub}`, profiles: overrides.profiles ?? ['h264-720p'], queues: overrides.queues ?? ['default'] })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.kid, typ: 'JWT' })
      .setIssuer(overrides.issuer ?? ISSUER)
      .setAudience('ffgate')
      .setSubject(sub)
      .setJti(overrides.jti ?? randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(overrides.expSec ?? iat + 600)
      .sign(this.#privateKey);
  }
}

/** A media root with a shared input clip. */
export function mediaRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'ffgate-gw-media-'));
  mkdirSync(join(root, 'shared'), { recursive: true });
  mkdirSync(join(root, 'home'), { recursive: true });
  writeFileSync(join(root, 'shared', 'clip.mp4'), 'not really a video');
  return root;
}

export function testConfig(overrides: Partial<GatewayServiceConfig> = {}): GatewayServiceConfig {
  return {
    tokenUrl: ISSUER,
    issuer: ISSUER,
    mediaRoot: mediaRoot(),
    policy: undefined,
    jobMaxRuntimeSeconds: 600,
    jobMaxOutputBytes: 1_000_000_000,
    adminToken: ADMIN_TOKEN,
    port: 0,
    ...overrides,
  };
}

export interface RunningGateway {
  service: GatewayService;
  url: string;
  close(): Promise<void>;
}

export async function runGateway(
  deps: { database: Database; bus: Bus; keys: Keys } & Partial<Omit<GatewayServiceDeps, 'config'>> & { config?: Partial<GatewayServiceConfig> },
): Promise<RunningGateway> {
  const { keys, config, ...rest } = deps;
  const service = createGatewayService({ logger: silentLogger, jwks: keys.jwks, sweepIntervalMs: 200, sse: { pollMs: 200 }, ...rest, config: testConfig(config) });
  await service.start();
  const app = express();
  app.use(service.router);
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closed: Promise<void> | undefined;
  return {
    service,
    url,
    close: () =>
      (closed ??= (async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await service.stop();
      })()),
  };
}

/**
 * Stands in for the transcoders: takes dispatches off `jobs.<queue>` (the shared durable the
 * real workers use) and lets a test report statuses as a worker would.
 */
export class FakeWorkers {
  readonly dispatched: JobDispatchEvent[] = [];
  readonly #bus: Bus;
  readonly #seq = new Map<string, number>();
  #stops: (() => Promise<void>)[] = [];
  constructor(bus: Bus) {
    this.#bus = bus;
  }
  async start(queues: string[] = ['default', 'broadcast']): Promise<void> {
    await this.#bus.ensureStream(JobsStream);
    for (const queue of queues) {
      const sub = await this.#bus.consume<JobDispatchEvent>({ stream: JobsStream.name, durable: `transcoder-${queue}`, filterSubject: `jobs.${queue}`, deliver: 'all' }, async (d) => {
        this.dispatched.push(d.event);
        return { kind: 'ack' };
      });
      this.#stops.push(() => sub.stop());
    }
  }
  async report(jobId: string, status: JobStatus, extra: { cancelReason?: CancelReason; seq?: number; error?: { code: string; message: string } } = {}): Promise<void> {
    const seq = extra.seq ?? (this.#seq.get(jobId) ?? 1000) + 1;
    this.#seq.set(jobId, Math.max(seq, this.#seq.get(jobId) ?? 0));
    const event = {
      id: randomUUID(),
      type: 'job.status' as const,
      time: new Date().toISOString(),
      jobId,
      seq,
      status,
      worker: 'fake-worker',
      attempt: 1,
      ...(extra.cancelReason ? { cancelReason: extra.cancelReason } : {}),
      ...(extra.error ? { error: extra.error } : {}),
    };
    await this.#bus.publish(jobStatusSubject(jobId), event, { msgId: event.id });
  }
  async stop(): Promise<void> {
    for (const s of this.#stops) await s();
    this.#stops = [];
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP calls validated against the served OpenAPI document (the e2e package's GatewayClient)

const clients = new Map<string, GatewayClient>();
const clientFor = (baseUrl: string) => clients.get(baseUrl) ?? clients.set(baseUrl, new GatewayClient(baseUrl, ADMIN_TOKEN)).get(baseUrl)!;

export function api<T = any>(baseUrl: string, method: string, path: string, options: Parameters<GatewayClient['call']>[2] = {}): Promise<HttpResponse<T>> {
  return clientFor(baseUrl).call<T>(method, path, options);
}

/** Read an SSE stream until it ends; validate each event's data as a job (the document's JobView). */
export async function readEvents(baseUrl: string, path: string, token: string, onEvent?: (e: { event: string; data: any }) => void): Promise<{ event: string; data: any }[]> {
  const res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200 || !res.body) throw new Error(`events: status ${res.status}`);
  const doc = await clientFor(baseUrl).doc();
  const events: { event: string; data: any }[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let idx: number;
    while ((idx = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, idx);
      buffer = buffer.slice(idx + 2);
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
      const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
      if (!event || data === undefined) continue;
      const e = { event, data: JSON.parse(data) };
      assertMatchesOpenApi(doc, 'GET', path.replace(/\/events$/, ''), 200, 'application/json', e.data);
      events.push(e);
      onEvent?.(e);
    }
  }
  return events;
}

export const spec = (overrides: Record<string, unknown> = {}) => ({ profile: 'h264-720p', input: 'shared/clip.mp4', output: `home/out-${randomUUID()}.mp4`, ...overrides });

/** Rows of a raw query (tests only). */
export async function rows<T = Record<string, unknown>>(database: Database, query: SQL): Promise<T[]> {
  return ((await database.db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** Wait until the gateway's projection knows `userId`. */
export async function waitForUser(database: Database, userId: string): Promise<void> {
  await waitFor(async () => (await rows(database, sql`select 1 from gateway.users where id = ${userId}`)).length > 0, { timeoutMs: 10_000 });
}
