import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { gatedDescribe, hasPostgres, natsServerAvailable, postgresAvailable, realServicesRequired } from '@ffgate/testing';

// Declared at load (as suites are): a gate for a service that is "missing", with CI off, must skip
// the suite and record why.
const resultsDir = mkdtempSync(join(tmpdir(), 'ffgate-results-'));
const saved = { dir: process.env.FFGATE_TEST_RESULTS_DIR, ci: process.env.CI, req: process.env.FFGATE_REQUIRE_REAL_SERVICES };
process.env.FFGATE_TEST_RESULTS_DIR = resultsDir;
process.env.CI = 'false';
delete process.env.FFGATE_REQUIRE_REAL_SERVICES;
let ranSkippedBody = false;
gatedDescribe(false, 'the frobnicator is not installed')('gating self-test (skipped on purpose: proves a missing service skips)', () => {
  test('never runs', () => {
    ranSkippedBody = true;
  });
});
const requiredWhenCi = (() => {
  process.env.CI = 'true';
  const r = realServicesRequired();
  process.env.CI = 'false';
  return r;
})();
process.env.FFGATE_TEST_RESULTS_DIR = saved.dir;
if (saved.ci === undefined) delete process.env.CI;
else process.env.CI = saved.ci;
if (saved.req !== undefined) process.env.FFGATE_REQUIRE_REAL_SERVICES = saved.req;

afterAll(() => rmSync(resultsDir, { recursive: true, force: true }));

describe('service gating', () => {
  test('a missing service skips the suite and records the reason', () => {
    expect(ranSkippedBody).toBe(false);
    const lines = readFileSync(join(resultsDir, 'skipped.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual([{ suite: 'gating self-test (skipped on purpose: proves a missing service skips)', reason: 'the frobnicator is not installed' }]);
  });

  test('CI=true requires real services', () => {
    expect(requiredWhenCi).toBe(true);
  });

  test('postgresAvailable agrees with hasPostgres and is false for a closed port', async () => {
    expect(await postgresAvailable()).toBe(hasPostgres);
    const saved = process.env.FFGATE_TEST_PG_URL;
    process.env.FFGATE_TEST_PG_URL = 'postgres://postgres@127.0.0.1:1/postgres';
    try {
      expect(await postgresAvailable(500)).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.FFGATE_TEST_PG_URL;
      else process.env.FFGATE_TEST_PG_URL = saved;
    }
  });

  test('natsServerAvailable honours FFGATE_NATS_SERVER_BIN', () => {
    const saved = { bin: process.env.FFGATE_NATS_SERVER_BIN };
    process.env.FFGATE_NATS_SERVER_BIN = process.execPath; // any executable
    expect(natsServerAvailable()).toBe(true);
    if (saved.bin === undefined) delete process.env.FFGATE_NATS_SERVER_BIN;
    else process.env.FFGATE_NATS_SERVER_BIN = saved.bin;
  });
});
