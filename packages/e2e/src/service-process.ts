import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository root (this file is packages/e2e/src/service-process.ts). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

// Children still running when the test process exits are killed so no service outlives its suite.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface ServiceProcess {
  readonly name: string;
  readonly pid: number;
  readonly port: number;
  readonly url: string;
  /** the last lines the service logged (for failure messages) */
  log(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves on exit. Idempotent. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL (a crash); resolves on exit */
  kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts one service as its own OS process, exactly as `pnpm --filter @ffgate/<svc> start` does
 * (`node --import @ffgate/telemetry/register src/main.ts` in the service folder), and waits for
 * its `/readyz`; start-up races against an early exit.
 */
export async function startService(name: string, serviceDir: string, port: number, env: Record<string, string>, readyTimeoutMs = 60_000): Promise<ServiceProcess> {
  const cwd = join(repoRoot, serviceDir);
  const child = spawn(process.execPath, ['--import', '@ffgate/telemetry/register', 'src/main.ts'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', OTEL_SDK_DISABLED: 'true', LOG_LEVEL: 'info', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const lines: string[] = [];
  const remember = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    if (lines.length > 400) lines.splice(0, lines.length - 400);
  };
  child.stdout?.on('data', remember);
  child.stderr?.on('data', remember);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });
  let dead = false;
  void exited.then(() => (dead = true));
  const url = `http://127.0.0.1:${port}`;
  const log = () => lines.join('\n');
  try {
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      if (dead) throw new Error(`${name} exited during start-up:\n${lines.slice(-30).join('\n')}`);
      const res = await fetch(`${url}/readyz`).catch(() => undefined);
      if (res?.status === 200) break;
      if (Date.now() > deadline) throw new Error(`${name} not ready within ${readyTimeoutMs} ms:\n${lines.slice(-30).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    throw err;
  }
  let stopping: ReturnType<ServiceProcess['stop']> | undefined;
  return {
    name,
    pid: child.pid!,
    port,
    url,
    log,
    exited,
    stop: (graceMs = 15_000) =>
      (stopping ??= (async () => {
        if (dead) return exited;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        const result = await exited;
        clearTimeout(timer);
        return result;
      })()),
    kill: async () => {
      if (!dead) child.kill('SIGKILL');
      return exited;
    },
  };
}
