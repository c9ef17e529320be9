/**
 * CPU profile of the SCIM service under the create load of `pnpm bench scim`:
 *   node bench/profile.ts [--creates N] [--dir DIR]
 * Starts `src/main.ts` with `--cpu-prof` against a private nats-server and a fresh database, drives
 * POST /Users at 32 clients, stops it with SIGTERM and prints self / inclusive time by script.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTestDatabase, freePort, startNatsServer } from '@ffgate/testing';
import { runLoad } from './load.ts';
import { startServer } from './processes.ts';

const { values } = parseArgs({ options: { creates: { type: 'string', default: '3000' }, dir: { type: 'string' } } });
const dir = values.dir ?? mkdtempSync(path.join(tmpdir(), 'scim-prof-'));
const scimDir = fileURLToPath(new URL('..', import.meta.url));
const TOKEN = `prof-${randomUUID()}`;
const nats = await startNatsServer();
const pg = await createTestDatabase('ffgate_prof');
const port = await freePort();
const server = await startServer({
  name: 'ffgate scim',
  cwd: scimDir,
  args: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', '@ffgate/telemetry/register', 'src/main.ts'],
  env: { PORT: String(port), DATABASE_URL: pg.url, NATS_URL: nats.url, FFGATE_SCIM_TOKEN: TOKEN, LOG_LEVEL: 'warn', OTEL_SDK_DISABLED: 'true' },
  readyUrl: `http://127.0.0.1:${port}/readyz`,
});
const run = randomUUID().slice(0, 8);
const result = await runLoad({
  concurrency: 32,
  total: Number(values.creates),
  request: async (i) => {
    const r = await fetch(`http://127.0.0.1:${port}/scim/v2/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ userName: `p-${run}-${i}@example.com`, name: { givenName: 'P', familyName: `U ${i}` }, emails: [{ value: `p-${run}-${i}@example.com`, type: 'work', primary: true }], active: true }),
    });
    await r.arrayBuffer();
    return r.status === 201;
  },
});
await server.stop();
await nats.cleanup();
await pg.drop();
console.log(`${result.requests} creates, ${result.ratePerSec.toFixed(0)}/s, errors ${result.errors}; profile in ${dir}`);

interface Node { id: number; callFrame: { url: string; functionName: string }; children?: number[] }
const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(dir, f)).sort().at(-1)!;
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[] };
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n: Node) => {
  const u = n.callFrame.url.replace(/^file:\/\//, '').replace(/.*node_modules\/\.pnpm\/([^/]+)\/.*/, '$1').replace(/.*\/work\/main\//, '');
  return u || `(${n.callFrame.functionName || 'native'})`;
};
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const s of profile.samples) {
  const leaf = byId.get(s)!;
  self.set(label(leaf), (self.get(label(leaf)) ?? 0) + 1);
  const seen = new Set<string>();
  for (let id: number | undefined = s; id !== undefined; id = parent.get(id)) {
    const l = label(byId.get(id)!);
    if (!seen.has(l)) inclusive.set(l, (inclusive.get(l) ?? 0) + 1), seen.add(l);
  }
}
const total = profile.samples.length;
const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`).join('\n');
console.log(`\nself time by script (${total} samples)\n${top(self)}\n\ninclusive time by script\n${top(inclusive)}`);
