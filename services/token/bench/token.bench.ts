/**
 * `pnpm bench token`: job credential throughput and revocation latency.
 *
 * 1. mints/s over HTTP, 32 concurrent clients (closed loop), the service in a child process;
 * 2. verifications/s in-process on distinct tokens: keys given directly, and through the remote
 *    JWKS cache (the verifier has no per-token result cache: each call checks the signature);
 * 3. deactivation → rejection: an `identity.user.deactivated` published on IDENTITY (as the SCIM
 *    outbox relay does) until a verifier fed by TOKENS rejects the user's token, over a private
 *    nats-server and PostgreSQL — p50 / p99.
 * Options: --seconds N (mint phase, default 10), --rounds N (deactivations, default 200).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { JSONWebKeySet } from 'jose';
import { sql } from 'drizzle-orm';
import { connectNatsBus, silentLogger } from '@ffgate/bus';
import { identitySubject, Streams } from '@ffgate/contracts';
import { openDatabase } from '@ffgate/db';
import { createTestDatabase, hasNatsServer, hasPostgres, startNatsServer, waitFor } from '@ffgate/testing';
import { createVerifier, feedRevocations, RevocationView } from '@ffgate/verifier';
import { createTokenService } from '../src/index.ts';
import { userState } from '../test/harness.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 10);
const ROUNDS = arg('rounds', 200);
const CONCURRENCY = 32;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
const rows: [string, string, string][] = [];

// ---- 1. mints over HTTP -------------------------------------------------------------------
const child = spawn(process.execPath, [...(process.env.FFGATE_BENCH_CHILD_ARGS?.split(' ').filter(Boolean) ?? []), fileURLToPath(new URL('./server.ts', import.meta.url)), String(CONCURRENCY)], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, OTEL_SDK_DISABLED: 'true' },
});
const first = await new Promise<string>((resolve, reject) => {
  createInterface({ input: child.stdout! }).once('line', resolve);
  child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
});
const server = JSON.parse(first) as { url: string; issuer: string; database: string; clients: { id: string; secret: string }[] };
const tokens: string[] = [];

// node:http with keep-alive rather than fetch: the load generator shares the 2 cores with the
// service and PostgreSQL, and undici's fetch costs it several times more CPU per request
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const BODY = 'grant_type=client_credentials';
const target = new URL(`${server.url}/oauth2/token`);
function post(auth: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded', 'content-length': BODY.length } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(BODY);
  });
}

async function mintLoop(until: number, clientIndex: number, latencies: number[] | undefined): Promise<number> {
  const c = server.clients[clientIndex]!;
  const auth = `Basic ${Buffer.from(`${c.id}:${c.secret}`).toString('base64')}`;
  let n = 0;
  while (performance.now() < until) {
    const t0 = performance.now();
    const res = await post(auth);
    const body = JSON.parse(res.body) as { access_token?: string };
    if (res.status !== 200 || !body.access_token) throw new Error(`mint failed: ${res.status}`);
    latencies?.push(performance.now() - t0);
    if (tokens.length < 20_000) tokens.push(body.access_token);
    n++;
  }
  return n;
}
await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => mintLoop(performance.now() + 2000, i, undefined))); // warm-up
tokens.length = 0;
const mintLatencies: number[] = [];
// CPU time the service process spent, from /proc: comparable across runs even on a busy machine
const cpuMs = () => {
  try {
    const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in clock ticks (100 Hz)
  } catch {
    return NaN;
  }
};
const cpu0 = cpuMs();
const t0 = performance.now();
const counts = await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => mintLoop(t0 + SECONDS * 1000, i, mintLatencies)));
const mintSeconds = (performance.now() - t0) / 1000;
const mints = counts.reduce((a, b) => a + b, 0);
const serverCpuPerMint = (cpuMs() - cpu0) / mints;
mintLatencies.sort((a, b) => a - b);
rows.push([`mints/s over HTTP (${CONCURRENCY} concurrent clients, ${server.database})`, (mints / mintSeconds).toFixed(0), `p50 ${pct(mintLatencies, 50).toFixed(1)} ms, p99 ${pct(mintLatencies, 99).toFixed(1)} ms, ${mints} mints, service CPU ${(serverCpuPerMint * 1000).toFixed(0)} µs/mint (≈ ${(1000 / serverCpuPerMint).toFixed(0)} mints/s per core)`]);

// ---- 2. verifications in-process -----------------------------------------------------------
const jwks = (await fetch(`${server.url}/.well-known/jwks.json`).then((r) => r.json())) as JSONWebKeySet;
async function verifyRate(label: string, verifier: ReturnType<typeof createVerifier>) {
  for (const t of tokens.slice(0, 200)) await verifier.verify(t); // warm-up
  const start = performance.now();
  for (const t of tokens) await verifier.verify(t);
  const s = (performance.now() - start) / 1000;
  rows.push([label, (tokens.length / s).toFixed(0), `${tokens.length} distinct tokens, one core, sequential`]);
}
await verifyRate('verifications/s, keys given (no cache)', createVerifier({ issuer: server.issuer, jwks: { keys: jwks } }));
await verifyRate('verifications/s, remote JWKS cache + revocation view', createVerifier({ issuer: server.issuer, jwks: { url: `${server.url}/.well-known/jwks.json` }, revocations: new RevocationView() }));
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));

// ---- 3. deactivation → rejection --------------------------------------------------------------
if (!hasNatsServer || !hasPostgres) {
  rows.push(['deactivation → rejection', 'skipped', 'needs nats-server and PostgreSQL']);
} else {
  const nats = await startNatsServer();
  const testDb = await createTestDatabase('ffgate_token_bench_rev');
  const database = await openDatabase({ url: testDb.url });
  const scimBus = await connectNatsBus({ url: nats.url, name: 'bench-scim', logger: silentLogger });
  const tokenBus = await connectNatsBus({ url: nats.url, name: 'bench-token', logger: silentLogger });
  const verifierBus = await connectNatsBus({ url: nats.url, name: 'bench-verifier', logger: silentLogger });
  await scimBus.ensureStream({ ...Streams.identity, retention: 'limits' });
  const service = createTokenService({
    database,
    bus: tokenBus,
    logger: silentLogger,
    config: {
      issuer: 'http://token.bench',
      publicUrl: undefined,
      port: 0,
      keyEncryptionKey: 'bench-key-encryption-key-0123456789abcdef',
      policy: undefined,
      tokenTtlSeconds: 600,
      trustedIssuers: undefined,
      adminToken: 'bench-admin-token-0123456789',
      nodeEnv: 'test',
      dataDir: '/nonexistent',
    },
  });
  await service.start();
  const app = express().use(service.router);
  const http = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => http.once('listening', () => r()));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const view = new RevocationView();
  const feed = await feedRevocations(verifierBus, view);
  const verifier = createVerifier({ issuer: service.issuer, jwks: { url: `${url}/.well-known/jwks.json` }, revocations: view });

  const publish = (type: 'identity.user.created' | 'identity.user.deactivated', id: string, version: number, active: boolean) => {
    const event = { id: `${id}-${version}`, type, time: new Date().toISOString(), resourceId: id, version, actor: 'bench', data: { ...userState(id), active } };
    return scimBus.publish(identitySubject(type, id), event, { msgId: event.id });
  };
  const latencies: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const id = `rev-${i}`;
    await publish('identity.user.created', id, 1, true);
    await waitFor(async () => ((await database.db.execute(sql`select 1 from "token"."users" where id = ${id}`)) as any).rows.length === 1, { intervalMs: 2 });
    const created = await fetch(`${url}/admin/v1/clients`, {
      method: 'POST',
      headers: { authorization: 'Bearer bench-admin-token-0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({ name: id, userId: id }),
    }).then((r) => r.json() as Promise<{ client_id: string; client_secret: string }>);
    const minted = await fetch(`${url}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${created.client_id}:${created.client_secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    const claims = await verifier.verify(minted.access_token);

    const start = performance.now();
    await publish('identity.user.deactivated', id, 2, false);
    // tight poll on the view the verifier consults; then confirm with a full verification
    while (!view.isRevoked(claims)) await new Promise((r) => setImmediate(r));
    latencies.push(performance.now() - start);
    await verifier.verify(minted.access_token).then(
      () => {
        throw new Error('verifier still accepts a deactivated user');
      },
      () => undefined,
    );
  }
  latencies.sort((a, b) => a - b);
  rows.push([
    'deactivation → rejection (IDENTITY publish → verifier rejects)',
    `p50 ${pct(latencies, 50).toFixed(1)} ms`,
    `p99 ${pct(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms, ${ROUNDS} rounds, PostgreSQL + NATS`,
  ]);

  await feed.stop();
  http.closeAllConnections();
  http.close();
  await service.stop();
  for (const b of [scimBus, tokenBus, verifierBus]) await b.close();
  await database.close();
  await testDb.drop();
  await nats.cleanup();
}

const w0 = Math.max(...rows.map((r) => r[0].length));
const w1 = Math.max(...rows.map((r) => r[1].length));
console.log(`\n${'measure'.padEnd(w0)} | ${'result'.padStart(w1)} | detail`);
console.log(`${'-'.repeat(w0)}-|-${'-'.repeat(w1)}-|-------`);
for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)} | ${b.padStart(w1)} | ${c}`);
process.exit(0);
