import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase, type Database } from '@ffgate/db';
import { findExecutable } from './binaries.ts';
import { createTestDatabase, testPostgresUrl, type TestDatabase } from './postgres.ts';

/**
 * Availability gating for integration suites. A missing service skips the suite with a reason
 * (recorded in `<repo>/.test-results/skipped.jsonl` for the test runner's summary) — except under
 * CI=true or FFGATE_REQUIRE_REAL_SERVICES=1, where a missing service is a failing test.
 */
export async function postgresAvailable(timeoutMs = 1500): Promise<boolean> {
  const client = new pg.Client({ connectionString: testPostgresUrl(), connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function natsServerAvailable(): boolean {
  return findExecutable('nats-server', 'FFGATE_NATS_SERVER_BIN', ['/usr/sbin/nats-server', '/usr/bin/nats-server']) !== undefined;
}

export function ffmpegAvailable(): boolean {
  return findExecutable('ffmpeg', 'FFGATE_FFMPEG_BIN', ['/usr/bin/ffmpeg']) !== undefined;
}

type JestGlobals = typeof import('@jest/globals');

/**
 * jest's globals, looked up when a suite is declared rather than imported: importing
 * `@jest/globals` outside jest throws, and scripts (benchmarks) import this package too.
 */
function jest(): Pick<JestGlobals, 'describe' | 'test' | 'beforeAll' | 'afterAll'> {
  const g = globalThis as unknown as Partial<JestGlobals>;
  if (!g.describe || !g.test || !g.beforeAll || !g.afterAll) {
    throw new Error('describeWith*/forEachDatabase declare jest suites: call them from a jest test file');
  }
  return g as JestGlobals;
}

/** Evaluated once per test file at load: jest cannot decide to skip a suite asynchronously. */
export const hasPostgres: boolean = await postgresAvailable();
export const hasNatsServer: boolean = natsServerAvailable();
export const hasFfmpeg: boolean = ffmpegAvailable();

export function realServicesRequired(): boolean {
  return process.env.CI === 'true' || process.env.FFGATE_REQUIRE_REAL_SERVICES === '1';
}

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 10; i++) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return process.cwd();
}

/** Where skipped suites are recorded: FFGATE_TEST_RESULTS_DIR, else `<repo>/.test-results`. */
export function testResultsDir(): string {
  return process.env.FFGATE_TEST_RESULTS_DIR ?? join(repoRoot(), '.test-results');
}

function recordSkip(suite: string, reason: string): void {
  try {
    const dir = testResultsDir();
    mkdirSync(dir, { recursive: true });
    appendFileSync(join(dir, 'skipped.jsonl'), `${JSON.stringify({ suite, reason })}\n`);
  } catch {
    // recording is best effort; the skip itself still shows in jest's output
  }
}

type SuiteBody = () => void;

/**
 * A `describe` that runs when `available`, else skips with `reason` (recorded) — or, when real
 * services are required, declares a failing test that names what is missing.
 */
export function gatedDescribe(available: boolean, reason: string): (name: string, fn: SuiteBody) => void {
  return (name, fn) => {
    const { describe, test } = jest();
    if (available) {
      describe(name, fn);
    } else if (realServicesRequired()) {
      describe(name, () => {
        test(`requires a real service: ${reason}`, () => {
          throw new Error(`${reason} (required because CI=true or FFGATE_REQUIRE_REAL_SERVICES=1)`);
        });
      });
    } else {
      recordSkip(name, reason);
      describe.skip(`${name} (skipped: ${reason})`, fn);
    }
  };
}

export const describeWithPostgres = gatedDescribe(hasPostgres, `PostgreSQL is not reachable at ${redact(testPostgresUrl())} (set FFGATE_TEST_PG_URL)`);
export const describeWithNats = gatedDescribe(hasNatsServer, 'nats-server binary not found (set FFGATE_NATS_SERVER_BIN or install nats-server)');
export const describeWithFfmpeg = gatedDescribe(hasFfmpeg, 'ffmpeg binary not found (set FFGATE_FFMPEG_BIN or install ffmpeg)');
/** Both a nats-server binary and PostgreSQL; the reason names the first one missing. */
export const describeWithNatsAndPostgres = hasNatsServer ? describeWithPostgres : describeWithNats;

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}

export interface DatabaseContext {
  readonly kind: 'pglite' | 'postgres';
  /**
   * Open a handle. PostgreSQL: every call opens a new handle (like another replica) on the suite's
   * fresh database. PGlite: every call opens a new, empty in-memory database.
   */
  open(): Promise<Database>;
  /** the suite's database URL (PostgreSQL only; read it inside hooks/tests) */
  readonly url: string | undefined;
}

/**
 * The same suite twice: `[pglite]` and `[postgres]` (gated, on a fresh database dropped afterwards).
 * Handles opened through `ctx.open()` and not closed by the suite are closed after it.
 */
export function forEachDatabase(title: string, body: (ctx: DatabaseContext) => void): void {
  const { describe, beforeAll, afterAll } = jest();
  describe(`${title} [pglite]`, () => {
    const opened: Database[] = [];
    afterAll(async () => {
      await Promise.all(opened.map((d) => d.close()));
    });
    body({
      kind: 'pglite',
      open: async () => {
        const database = await openDatabase();
        opened.push(database);
        return database;
      },
      url: undefined,
    });
  });
  describeWithPostgres(`${title} [postgres]`, () => {
    let testDb: TestDatabase | undefined;
    const opened: Database[] = [];
    beforeAll(async () => {
      testDb = await createTestDatabase('ffgate_t');
    });
    afterAll(async () => {
      await Promise.all(opened.map((d) => d.close()));
      await testDb?.drop();
    });
    body({
      kind: 'postgres',
      open: async () => {
        if (!testDb) throw new Error('test database not created yet: call open() inside a hook or test');
        const database = await openDatabase({ url: testDb.url });
        opened.push(database);
        return database;
      },
      get url() {
        return testDb?.url;
      },
    });
  });
}
