import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { gatedDescribe, hasPostgres, natsServerAvailable, postgresAvailable, realServicesRequired } from '@ffgate/testing';

// A gate for a "missing" service with CI off must skip its suite and record why. It is exercised
// against recording stand-ins for jest's describe/test, so this file itself registers no skipped
// suite (a CI run fails on any skip).
const resultsDir = mkdtempSync(join(tmpdir(), 'ffgate-results-'));
const saved = { dir: process.env.FFGATE_TEST_RESULTS_DIR, ci: process.env.CI, req: process.env.FFGATE_REQUIRE_REAL_SERVICES };
type Declared = { kind: string; name: string };
function declareWithStandIns(ci: string): { declared: Declared[]; ranBody: boolean } {
  const g = globalThis as unknown as Record<string, unknown>;
  const real = { describe: g.describe, test: g.test };
  const declared: Declared[] = [];
  let ranBody = false;
  const describe = Object.assign((name: string, fn: () => void) => {
    declared.push({ kind: 'describe', name });
    fn();
  }, { skip: (name: string) => declared.push({ kind: 'describe.skip', name }) });
  const test = (name: string) => declared.push({ kind: 'test', name });
  process.env.FFGATE_TEST_RESULTS_DIR = resultsDir;
  process.env.CI = ci;
  delete process.env.FFGATE_REQUIRE_REAL_SERVICES;
  g.describe = describe;
  g.test = test;
  try {
    gatedDescribe(false, 'the frobnicator is not installed')('frobnicator suite', () => {
      ranBody = true;
    });
  } finally {
    g.describe = real.describe;
    g.test = real.test;
    process.env.FFGATE_TEST_RESULTS_DIR = saved.dir;
    if (saved.ci === undefined) delete process.env.CI;
    else process.env.CI = saved.ci;
    if (saved.req !== undefined) process.env.FFGATE_REQUIRE_REAL_SERVICES = saved.req;
  }
  return { declared, ranBody };
}
const withoutCi = declareWithStandIns('false');
const withCi = declareWithStandIns('true');
const requiredWhenCi = (() => {
  process.env.CI = 'true';
  const r = realServicesRequired();
  if (saved.ci === undefined) delete process.env.CI;
  else process.env.CI = saved.ci;
  return r;
})();

afterAll(() => rmSync(resultsDir, { recursive: true, force: true }));

describe('service gating', () => {
  test('a missing service skips the suite and records the reason', () => {
    expect(withoutCi.ranBody).toBe(false);
    expect(withoutCi.declared).toEqual([{ kind: 'describe.skip', name: 'frobnicator suite (skipped: the frobnicator is not installed)' }]);
    const lines = readFileSync(join(resultsDir, 'skipped.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual([{ suite: 'frobnicator suite', reason: 'the frobnicator is not installed' }]);
  });

  test('under CI=true a missing service becomes a failing test naming it, never a skip', () => {
    expect(withCi.declared).toEqual([
      { kind: 'describe', name: 'frobnicator suite' },
      { kind: 'test', name: 'requires a real service: the frobnicator is not installed' },
    ]);
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
