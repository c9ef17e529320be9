import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable } from './binaries.ts';

/**
 * A private nats-server for one test suite: random ports on 127.0.0.1 and a temporary store
 * directory, so tests never touch the machine's NATS on 4222 and fault tests can stop, kill and
 * restart it. Start-up is a race between "healthy" (monitoring `/healthz`) and "exited early".
 */
export interface NatsServerOptions {
  /** enable JetStream (default true) */
  jetstream?: boolean;
  /** how long to wait for the server to report healthy (default 15 s) */
  startTimeoutMs?: number;
}

export interface NatsServerHandle {
  /** `nats://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly monitorPort: number;
  readonly storeDir: string;
  /** SIGTERM and wait for the exit. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL and wait for the exit (a crash). Idempotent. */
  kill(): Promise<void>;
  /** stop (if running) and start again on the same port and store directory */
  restart(): Promise<void>;
  /** stop and delete the store directory */
  cleanup(): Promise<void>;
  /** the last lines the server logged (for failure messages) */
  log(): string;
}

export class NatsServerError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NatsServerError';
    this.code = code;
  }
}

/**
 * Binary: FFGATE_NATS_SERVER_BIN (used as given, so a wrong override fails loudly), else
 * /usr/sbin/nats-server, else `nats-server` on PATH.
 */
export function natsServerBinary(): string {
  const fromEnv = process.env.FFGATE_NATS_SERVER_BIN;
  if (fromEnv) return fromEnv;
  return findExecutable('nats-server', 'FFGATE_NATS_SERVER_BIN', ['/usr/sbin/nats-server', '/usr/bin/nats-server']) ?? 'nats-server';
}

// Children still running when the test process exits are killed so no server outlives its suite.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startNatsServer(opts: NatsServerOptions = {}): Promise<NatsServerHandle> {
  const jetstream = opts.jetstream ?? true;
  const startTimeoutMs = opts.startTimeoutMs ?? 15_000;
  const bin = natsServerBinary();
  const port = await freePort();
  const monitorPort = await freePort();
  const storeDir = await mkdtemp(join(tmpdir(), 'ffgate-nats-'));
  const logLines: string[] = [];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const launch = async (): Promise<void> => {
    const args = ['-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort), '-sd', storeDir];
    if (jetstream) args.unshift('-js');
    const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    live.add(proc);
    const remember = (chunk: Buffer) => {
      logLines.push(...chunk.toString().split('\n').filter(Boolean));
      if (logLines.length > 200) logLines.splice(0, logLines.length - 200);
    };
    proc.stdout?.on('data', remember);
    proc.stderr?.on('data', remember);
    // settles on exit or on spawn failure (ENOENT): start-up races against it
    // (a tagged result, not `instanceof Error`: spawn errors come from another realm under jest)
    const ended = new Promise<{ failure: NodeJS.ErrnoException }>((resolve) => {
      proc.once('error', (err) => resolve({ failure: err }));
      proc.once('exit', (code, signal) => resolve({ failure: new Error(`exited early (code ${code}, signal ${signal})`) }));
    });
    exited = ended.then(() => {
      live.delete(proc);
      if (child === proc) child = undefined;
    });
    const healthPath = jetstream ? '/healthz?js-enabled-only=true' : '/healthz';
    const ready = pollHealthy(monitorPort, healthPath, startTimeoutMs);
    const outcome = await Promise.race([ready.then(() => undefined), ended]).catch((err: Error) => {
      throw new NatsServerError('FFGATE_NATS_SERVER_START', `${err.message}:\n${logLines.slice(-20).join('\n')}`, { cause: err });
    });
    ready.cancel();
    if (outcome) {
      const err = outcome.failure;
      if (err.code === 'ENOENT') {
        throw new NatsServerError(
          'FFGATE_NATS_SERVER_MISSING',
          `nats-server binary not found (${bin}): install it (apt-get install nats-server) or set FFGATE_NATS_SERVER_BIN`,
          { cause: err },
        );
      }
      throw new NatsServerError('FFGATE_NATS_SERVER_START', `nats-server ${err.message}:\n${logLines.slice(-20).join('\n')}`, {
        cause: err,
      });
    }
  };

  // SIGTERM gets a grace period, then SIGKILL: a stuck server must not hang the suite
  const signalAndWait = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    if (!proc) return;
    proc.kill(signal);
    const grace = signal === 'SIGKILL' ? undefined : setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(grace);
  };

  try {
    await launch();
  } catch (err) {
    await signalAndWait('SIGKILL');
    await rm(storeDir, { recursive: true, force: true });
    throw err;
  }

  const handle: NatsServerHandle = {
    url: `nats://127.0.0.1:${port}`,
    port,
    monitorPort,
    storeDir,
    stop: () => signalAndWait('SIGTERM'),
    kill: () => signalAndWait('SIGKILL'),
    async restart() {
      await signalAndWait('SIGTERM');
      try {
        await launch();
      } catch (err) {
        await signalAndWait('SIGKILL');
        throw err;
      }
    },
    async cleanup() {
      await signalAndWait('SIGTERM');
      await rm(storeDir, { recursive: true, force: true });
    },
    log: () => logLines.join('\n'),
  };
  return handle;
}

interface CancellablePromise extends Promise<void> {
  cancel(): void;
}

/** Poll the monitoring endpoint until it answers 200; rejects after `timeoutMs`. */
function pollHealthy(port: number, path: string, timeoutMs: number): CancellablePromise {
  let cancelled = false;
  const deadline = Date.now() + timeoutMs;
  const p = (async () => {
    while (!cancelled) {
      if (await probe(port, path)) return;
      if (Date.now() > deadline) {
        throw new NatsServerError('FFGATE_NATS_SERVER_START', `nats-server not healthy within ${timeoutMs} ms`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })() as CancellablePromise;
  p.cancel = () => {
    cancelled = true;
  };
  p.catch(() => {}); // the race may already be decided by an early exit
  return p;
}

function probe(port: number, path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpGet({ host: '127.0.0.1', port, path, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
  });
}
