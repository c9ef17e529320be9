/**
 * `pnpm bench scim` — SCIM provisioning speed against PostgreSQL and NATS JetStream on this machine,
 * with a bare scimmy + scimmy-routers in-memory server measured in the same run as the baseline.
 *
 *   1. user creates/s and p50/p99 latency at 32 concurrent clients (events published by the relay)
 *   2. the same load against the baseline server, and the ratio
 *   3. PATCH active:false → `identity.user.deactivated` received from NATS, p50/p99
 *
 * Options: --creates N (default 4000), --deactivations N (default 300), --concurrency N (default 32).
 * A private nats-server and a fresh PostgreSQL database are used so the machine's state is untouched.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connectNatsBus } from '@ffgate/bus';
import { Streams } from '@ffgate/contracts';
import { createTestDatabase, freePort, startNatsServer } from '@ffgate/testing';
import { percentile, runLoad, type LoadResult } from './load.ts';
import { cpuMsOf } from './cpu.ts';
import { startServer } from './processes.ts';

const { values } = parseArgs({
  options: {
    creates: { type: 'string', default: '4000' },
    deactivations: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '32' },
  },
});
const CREATES = Number(values.creates);
const DEACTIVATIONS = Number(values.deactivations);
const CONCURRENCY = Number(values.concurrency);
const TOKEN = `bench-${randomUUID()}`;
const scimDir = fileURLToPath(new URL('..', import.meta.url));

const nats = await startNatsServer();
const pg = await createTestDatabase('ffgate_bench');
const ffgatePort = await freePort();
const ffgate = await startServer({
  name: 'ffgate scim',
  cwd: scimDir,
  args: ['--import', '@ffgate/telemetry/register', 'src/main.ts'],
  env: {
    PORT: String(ffgatePort),
    DATABASE_URL: pg.url,
    NATS_URL: nats.url,
    FFGATE_SCIM_TOKEN: TOKEN,
    LOG_LEVEL: 'warn',
    OTEL_SDK_DISABLED: 'true',
  },
  readyUrl: `http://127.0.0.1:${ffgatePort}/readyz`,
});
const baseline = await startServer({ name: 'baseline', cwd: scimDir, args: ['bench/baseline-server.ts'], env: { PORT: '0' } });

const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' };
function userBody(i: number, run: string) {
  return JSON.stringify({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
    userName: `user-${run}-${i}@example.com`,
    name: { givenName: 'Bench', familyName: `User ${i}` },
    emails: [{ value: `user-${run}-${i}@example.com`, type: 'work', primary: true }],
    active: true,
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: i % 2 ? 'Broadcast' : 'Sales' },
  });
}
async function createLoad(base: string, total: number): Promise<LoadResult> {
  const run = randomUUID().slice(0, 8);
  return runLoad({
    concurrency: CONCURRENCY,
    total,
    request: async (i) => {
      const r = await fetch(`${base}/Users`, { method: 'POST', headers, body: userBody(i, run) });
      await r.arrayBuffer();
      return r.status === 201;
    },
  });
}

const ffgateBase = `http://127.0.0.1:${ffgatePort}/scim/v2`;
const baselineBase = `http://127.0.0.1:${baseline.port}/scim/v2`;

// warm up both (JIT, connection pools), then alternate rounds so neither gets the quieter machine
await createLoad(ffgateBase, 300);
await createLoad(baselineBase, 300);
const rounds: { ffgate: LoadResult; baseline: LoadResult }[] = [];
// CPU the server process spent per create: steadier than creates/s when other work shares the machine
const cpu = { ffgate: 0, baseline: 0 };
async function measuredLoad(which: 'ffgate' | 'baseline', base: string, pid: number | undefined): Promise<LoadResult> {
  const before = cpuMsOf(pid);
  const result = await createLoad(base, CREATES / 2);
  const after = cpuMsOf(pid);
  cpu[which] += before !== undefined && after !== undefined ? after - before : NaN;
  return result;
}
for (let r = 0; r < 2; r++) {
  const b = await measuredLoad('baseline', baselineBase, baseline.child.pid);
  const f = await measuredLoad('ffgate', ffgateBase, ffgate.child.pid);
  rounds.push({ ffgate: f, baseline: b });
}
const merge = (xs: LoadResult[]): LoadResult => {
  const requests = xs.reduce((s, x) => s + x.requests, 0);
  const seconds = xs.reduce((s, x) => s + x.seconds, 0);
  return {
    requests,
    seconds,
    errors: xs.reduce((s, x) => s + x.errors, 0),
    ratePerSec: requests / seconds,
    p50Ms: Math.max(...xs.map((x) => x.p50Ms)),
    p99Ms: Math.max(...xs.map((x) => x.p99Ms)),
  };
};
const ffgateCreates = merge(rounds.map((r) => r.ffgate));
const baselineCreates = merge(rounds.map((r) => r.baseline));

// deactivation → event, measured from the PATCH request leaving the client to the event arriving
// at a NATS consumer (the broadcast a transcoder uses)
const bus = await connectNatsBus({ url: nats.url, name: 'bench-observer' });
await bus.ensureStream(Streams.identity);
const arrivals = new Map<string, number>();
const waiters = new Map<string, () => void>();
const sub = await bus.consume(
  { stream: 'IDENTITY', filterSubject: 'identity.user.deactivated.>', deliver: 'new' },
  async (d) => {
    const id = (d.event as { resourceId: string }).resourceId;
    arrivals.set(id, performance.now());
    waiters.get(id)?.();
    return { kind: 'ack' };
  },
);
const ids: string[] = [];
const run = randomUUID().slice(0, 8);
for (let i = 0; i < DEACTIVATIONS; i++) {
  const r = await fetch(`${ffgateBase}/Users`, { method: 'POST', headers, body: userBody(i, `deact-${run}`) });
  ids.push(((await r.json()) as { id: string }).id);
}
const patchBody = JSON.stringify({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [{ op: 'replace', path: 'active', value: false }],
});
const toEvent: number[] = [];
const toResponse: number[] = [];
for (const id of ids) {
  const arrived = new Promise<void>((resolve) => waiters.set(id, resolve));
  const t0 = performance.now();
  const r = await fetch(`${ffgateBase}/Users/${id}`, { method: 'PATCH', headers, body: patchBody });
  await r.arrayBuffer();
  toResponse.push(performance.now() - t0);
  await Promise.race([arrived, new Promise((_, rej) => setTimeout(() => rej(new Error(`no event for ${id}`)), 10_000))]);
  toEvent.push(arrivals.get(id)! - t0);
}
toEvent.sort((a, b) => a - b);
toResponse.sort((a, b) => a - b);

await sub.stop();
await bus.close();
await ffgate.stop();
await baseline.stop();
await nats.cleanup();
await pg.drop();

const f1 = (n: number) => n.toFixed(1);
const ratio = ffgateCreates.ratePerSec / baselineCreates.ratePerSec;
const rows = [
  ['measurement', 'ffgate (PostgreSQL + NATS)', 'baseline (bare scimmy, in memory)', 'ratio / goal'],
  [
    `user creates/s, ${CONCURRENCY} clients`,
    `${ffgateCreates.ratePerSec.toFixed(0)}/s`,
    `${baselineCreates.ratePerSec.toFixed(0)}/s`,
    `${ratio.toFixed(2)}× (goal ≥ 0.80×)`,
  ],
  ['create latency p50 / p99', `${f1(ffgateCreates.p50Ms)} / ${f1(ffgateCreates.p99Ms)} ms`, `${f1(baselineCreates.p50Ms)} / ${f1(baselineCreates.p99Ms)} ms`, ''],
  [
    'server CPU per create (user+sys)',
    `${(cpu.ffgate / ffgateCreates.requests).toFixed(2)} ms`,
    `${(cpu.baseline / baselineCreates.requests).toFixed(2)} ms`,
    `${(cpu.baseline / baselineCreates.requests / (cpu.ffgate / ffgateCreates.requests)).toFixed(2)}× (inverse CPU ratio)`,
  ],
  ['create errors', String(ffgateCreates.errors), String(baselineCreates.errors), ''],
  [
    `PATCH active:false → event from NATS (n=${toEvent.length}) p50 / p99`,
    `${f1(percentile(toEvent, 50))} / ${f1(percentile(toEvent, 99))} ms`,
    '—',
    `p99 goal ≤ 10 ms`,
  ],
  ['PATCH response p50 / p99', `${f1(percentile(toResponse, 50))} / ${f1(percentile(toResponse, 99))} ms`, '—', ''],
];
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
console.log(`\npnpm bench scim — ${new Date().toISOString()} — ${CREATES} creates per server in 2 alternating rounds\n`);
console.log(line(rows[0]));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows.slice(1)) console.log(line(r));
console.log('');
