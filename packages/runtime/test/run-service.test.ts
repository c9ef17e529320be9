import { describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor } from '@ffgate/testing';

const fixture = fileURLToPath(new URL('./fixture-service.ts', import.meta.url));

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, [fixture], { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (b: Buffer) => (out.stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out.stderr += b.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out, exit };
}

describe('runService', () => {
  test('an invalid configuration stops the start with every problem listed and exit code 2', async () => {
    const { out, exit } = run({ PORT: 'eighty', FFGATE_ADMIN_TOKEN: 'short', DATABASE_URL: 'mysql://x' });
    expect(await exit).toBe(2);
    expect(out.stderr).toMatch(/PORT/);
    expect(out.stderr).toMatch(/FFGATE_ADMIN_TOKEN/);
    expect(out.stderr).toMatch(/DATABASE_URL/);
    expect(out.stdout).not.toMatch(/started/);
  });

  test('serves the router beside /healthz, /readyz and /metrics; SIGTERM stops the service and exits 0', async () => {
    const port = await freePort();
    const { child, out, exit } = run({ PORT: String(port) });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200, { message: `never ready:\n${out.stderr}` });
    expect(await (await fetch(`${base}/hello`)).json()).toEqual({ hello: 'world' });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/http_requests_total\{[^}]*route="\/hello"/);
    // Express's own weak ETags are off
    expect((await fetch(`${base}/hello`)).headers.get('etag')).toBeNull();
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(out.stdout).toBe('started\nstopped\n');
  });
});
