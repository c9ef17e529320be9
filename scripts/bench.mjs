#!/usr/bin/env node
// `pnpm bench <name>`: runs one benchmark script. Benchmarks print tables with a baseline measured
// in the same run; they are scripts, never tests, and hold no pass/fail thresholds.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benches = {
  scim: 'services/scim/bench/scim.bench.ts',
  outbox: 'packages/outbox/bench/relay-latency.bench.ts',
  token: 'services/token/bench/token.bench.ts',
  jobs: 'packages/e2e/bench/jobs.bench.ts',
};
const [name, ...rest] = process.argv.slice(2);
if (!name || !(name in benches)) {
  console.error(`usage: pnpm bench <${Object.keys(benches).join('|')}> [options]`);
  process.exit(2);
}
const file = path.join(root, benches[name]);
const r = spawnSync(process.execPath, [file, ...rest], {
  stdio: 'inherit',
  cwd: path.dirname(file),
  env: { OTEL_SDK_DISABLED: 'true', LOG_LEVEL: 'warn', ...process.env },
});
process.exit(r.status ?? 1);
