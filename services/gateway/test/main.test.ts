import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import { freePort, waitFor } from '@ffgate/testing';

const serviceDir = fileURLToPath(new URL('..', import.meta.url));

describe('main.ts: the gateway alone (embedded PGlite, in-process bus)', () => {
  test('starts, serves /healthz, /readyz, /metrics with job counts and the OpenAPI document, and exits 0 on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ffgate-gw-main-'));
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', '@ffgate/telemetry/register', 'src/main.ts'], {
      cwd: serviceDir,
      env: { ...process.env, NODE_OPTIONS: '', PORT: String(port), FFGATE_DATA_DIR: dataDir, FFGATE_MEDIA_ROOT: join(dataDir, 'media'), OTEL_SDK_DISABLED: 'true', LOG_LEVEL: 'info', DATABASE_URL: '', NATS_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const base = `http://127.0.0.1:${port}`;
      let lastReady = '';
      // generous: PGlite start-up and migrations are slow when the machine runs other suites at once
      await waitFor(
        async () => {
          const res = await fetch(`${base}/readyz`).catch(() => undefined);
          if (res) lastReady = `${res.status} ${await res.text()}`;
          return res?.status === 200;
        },
        { timeoutMs: 75_000 },
      ).catch((err) => {
        throw new Error(`gateway did not become ready: ${err.message}; last /readyz: ${lastReady}\n${output}`);
      });
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain('ffgate_gateway_jobs{status="queued"');
      expect(metrics).toContain('ffgate_gateway_queue_depth');
      expect(((await (await fetch(`${base}/v1/openapi.json`)).json()) as { openapi: string }).openapi).toBe('3.1.0');
      expect((await fetch(`${base}/v1/jobs`)).status).toBe(401);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
