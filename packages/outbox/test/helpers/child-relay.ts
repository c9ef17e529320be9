import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../fixtures/relay-child.ts', import.meta.url));

export interface ChildRelay {
  readonly process: ChildProcess;
  /** everything printed so far */
  output(): string;
  /** resolves with the signal or exit code when the process ends */
  readonly exited: Promise<NodeJS.Signals | number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Run an OutboxRelay in a child process (Node runs the TypeScript fixture directly). */
export function spawnChildRelay(env: { dbUrl: string; natsUrl: string; mode: 'normal' | 'crash-after-publish' }): ChildRelay {
  const child = spawn(process.execPath, [script], {
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      FFGATE_CHILD_DB_URL: env.dbUrl,
      FFGATE_CHILD_NATS_URL: env.natsUrl,
      FFGATE_CHILD_MODE: env.mode,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  return {
    process: child,
    output: () => out,
    exited,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
