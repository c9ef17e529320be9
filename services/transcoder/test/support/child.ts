import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@ffgate/testing';

const serviceDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ChildReplica {
  readonly child: ChildProcess;
  readonly port: number;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/** `node src/main.ts` as its own process, as `pnpm --filter @ffgate/transcoder start` runs it. */
export async function spawnReplica(env: Record<string, string>): Promise<ChildReplica> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', '@ffgate/telemetry/register', 'src/main.ts'], {
    cwd: serviceDir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', OTEL_SDK_DISABLED: 'true', LOG_LEVEL: 'info', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
  child.stderr?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  process.once('exit', () => child.kill('SIGKILL'));
  return { child, port, exit, output: () => out };
}

export async function readyz(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`);
    return res.status === 200;
  } catch {
    return false;
  }
}
