import { once } from 'node:events';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { execa, type ResultPromise } from 'execa';
import { NICE_PATH, SETPRIV_PATH, isExecutable, resolveFfmpeg } from './binaries.ts';
import { FfmpegMissingError, MediaError } from './errors.ts';
import { createProgressParser, type FfmpegProgress } from './progress.ts';
import { createLineTail } from './line-tail.ts';
import { stdioWithInput } from './stdio.ts';

/**
 * The thin ffmpeg runner: spawn (argument array, no shell), stream progress, map the exit. Policy —
 * retries, which signal to use when, deleting outputs — belongs to the caller.
 */
export type RunOutcome = 'succeeded' | 'failed' | 'killed' | 'stopped' | 'timed_out';

export interface RunResult {
  outcome: RunOutcome;
  exitCode: number | null;
  signal: string | null;
  /** the last stderr lines (bounded), for `failed` */
  stderrTail: string[];
  lastProgress: FfmpegProgress | null;
  /** set unless the outcome is `succeeded` */
  error?: { code: string; message: string };
}

export interface RunFfmpegOptions {
  args: readonly string[];
  /** default: `resolveFfmpeg(process.env)` */
  ffmpegPath?: string;
  onProgress?: (progress: FfmpegProgress) => void;
  /** aborting kills ffmpeg with SIGKILL (outcome `killed`) */
  signal?: AbortSignal;
  /** wall-clock limit: SIGKILL when reached (outcome `timed_out`) */
  timeoutMs?: number;
  /** input duration, for `percent` */
  durationMs?: number;
  /** `stop()` sends SIGTERM and escalates to SIGKILL after this long (default 10 s) */
  stopGraceMs?: number;
  /** refuse (outcome `failed`, `FFGATE_OUTPUT_TOO_LARGE`) an output larger than `maxBytes` */
  outputLimit?: { path: string; maxBytes: number };
  /** tie ffmpeg's life to this process with setpriv --pdeathsig (default true when setpriv exists) */
  pdeathsig?: boolean;
  /**
   * Scheduling niceness of ffmpeg (default 19, the lowest priority). Encoders saturate every core; at a lower priority
   * they cannot starve the control plane (the worker's event loop, NATS) that must deliver a
   * deprovisioning event and kill them within milliseconds. 0 keeps the worker's priority.
   */
  niceness?: number;
  stderrTailLines?: number;
  /** an open input (`openMediaInput`) handed to ffmpeg as its fd 3, read as `/proc/self/fd/3` */
  inputFd?: number;
  /**
   * Absolute path → label (usually the job path) replaced in stderr lines, so a failure message can
   * go back to the user without revealing the server's directory layout.
   */
  pathLabels?: Readonly<Record<string, string>>;
}

export interface FfmpegHandle {
  /** ffmpeg's pid (setpriv execs ffmpeg in place, so the pid is the same) */
  readonly pid: number;
  readonly done: Promise<RunResult>;
  /** immediate; default SIGKILL (the output is discarded anyway) */
  kill(signal?: NodeJS.Signals): void;
  /** graceful: SIGTERM (ffmpeg writes the trailer and exits 255), SIGKILL after the grace period */
  stop(): void;
}

/** Spawns ffmpeg; resolves once it runs, rejects when it cannot start (`FFGATE_FFMPEG_MISSING`, …). */
export async function runFfmpeg(options: RunFfmpegOptions): Promise<FfmpegHandle> {
  const ffmpegPath = options.ffmpegPath ?? resolveFfmpeg();
  if (!isExecutable(ffmpegPath)) throw new FfmpegMissingError(`ffmpeg not found at ${ffmpegPath}`);
  const useSetpriv = (options.pdeathsig ?? true) && SETPRIV_PATH !== undefined;
  const niceness = options.niceness ?? 19;
  // each wrapper execs the next in place: the pid we supervise and kill is ffmpeg's
  const command = niceness !== 0 && NICE_PATH !== undefined ? [NICE_PATH, '-n', String(niceness), ffmpegPath, ...options.args] : [ffmpegPath, ...options.args];
  const [file, argv] = useSetpriv
    ? [SETPRIV_PATH as string, ['--pdeathsig', 'KILL', '--', ...command]]
    : [command[0], command.slice(1)];

  const subprocess = execa(file, argv, {
    reject: false,
    stdio: stdioWithInput(options.inputFd),
    buffer: false,
    // our own escalation (stop grace), not execa's 5 s default after any kill()
    forceKillAfterDelay: false,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
    extendEnv: false,
  });

  // start-up is a race between "spawned" and "exited early" (e.g. ENOENT, EACCES)
  const spawned = once(subprocess.nodeChildProcess, 'spawn').then(() => true, () => false);
  const running = await Promise.race([spawned, subprocess.then(() => false)]);
  if (!running || subprocess.pid === undefined) {
    const result = await subprocess;
    if (result.code === 'ENOENT') throw new FfmpegMissingError(`could not execute ${file}`, { cause: result.cause });
    throw new MediaError('FFGATE_FFMPEG_SPAWN_FAILED', `ffmpeg could not be started: ${result.shortMessage}`, { cause: result.cause, status: 500 });
  }
  return supervise(subprocess, subprocess.pid, options);
}

function supervise(subprocess: ResultPromise, pid: number, options: RunFfmpegOptions): FfmpegHandle {
  const tail = createLineTail(options.stderrTailLines ?? 20, labelPaths(options.pathLabels));
  let lastProgress: FfmpegProgress | null = null;
  let stopRequested = false;
  let timedOut = false;
  let exited = false;
  const timers: NodeJS.Timeout[] = [];

  const parse = createProgressParser((p) => {
    lastProgress = p;
    try {
      options.onProgress?.(p);
    } catch {
      // a throwing listener must not break supervision
    }
  }, options.durationMs);
  const stdoutDone = subprocess.stdout ? once(createInterface({ input: subprocess.stdout }).on('line', parse), 'close') : Promise.resolve();
  const stderrDone = subprocess.stderr ? once(createInterface({ input: subprocess.stderr }).on('line', tail.push), 'close') : Promise.resolve();

  const kill = (signal: NodeJS.Signals = 'SIGKILL') => {
    if (!exited) subprocess.kill(signal);
  };
  const onAbort = () => kill('SIGKILL');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  if (options.timeoutMs !== undefined) {
    timers.push(setTimeout(() => {
      timedOut = true;
      kill('SIGKILL');
    }, options.timeoutMs));
  }

  const done = (async (): Promise<RunResult> => {
    const result = await subprocess;
    exited = true;
    timers.forEach(clearTimeout);
    options.signal?.removeEventListener('abort', onAbort);
    await Promise.all([stdoutDone, stderrDone]).catch(() => undefined);
    const base = { exitCode: result.exitCode ?? null, signal: result.signal ?? null, stderrTail: tail.lines(), lastProgress };
    return { ...base, ...(await classify(base, { stopRequested, timedOut, outputLimit: options.outputLimit })) };
  })();

  return {
    pid,
    done,
    kill,
    stop() {
      if (exited || stopRequested) return;
      stopRequested = true;
      kill('SIGTERM');
      timers.push(setTimeout(() => kill('SIGKILL'), options.stopGraceMs ?? 10_000));
    },
  };
}

type Classified = Pick<RunResult, 'outcome' | 'error'>;

async function classify(
  r: { exitCode: number | null; signal: string | null; stderrTail: string[] },
  ctx: { stopRequested: boolean; timedOut: boolean; outputLimit?: { path: string; maxBytes: number } },
): Promise<Classified> {
  if (r.signal === 'SIGKILL' && ctx.timedOut) return { outcome: 'timed_out', error: { code: 'FFGATE_FFMPEG_TIMEOUT', message: 'ffmpeg ran longer than its time limit' } };
  if (r.signal === 'SIGKILL') return { outcome: 'killed', error: { code: 'FFGATE_FFMPEG_KILLED', message: 'ffmpeg was killed' } };
  if (r.exitCode === 0) {
    const tooLarge = ctx.outputLimit && (await sizeOf(ctx.outputLimit.path)) > ctx.outputLimit.maxBytes;
    if (tooLarge) return { outcome: 'failed', error: { code: 'FFGATE_OUTPUT_TOO_LARGE', message: `the output exceeded ${ctx.outputLimit?.maxBytes} bytes` } };
    return { outcome: 'succeeded' };
  }
  // ffmpeg exits 255 after SIGTERM/SIGINT (and prints progress=end: not a success)
  if (ctx.stopRequested && (r.exitCode === 255 || r.signal === 'SIGTERM')) {
    return { outcome: 'stopped', error: { code: 'FFGATE_FFMPEG_STOPPED', message: 'ffmpeg was stopped' } };
  }
  if (r.exitCode === 127 && r.stderrTail.some((l) => l.startsWith('setpriv: failed to execute'))) {
    return { outcome: 'failed', error: { code: 'FFGATE_FFMPEG_MISSING', message: new FfmpegMissingError('ffmpeg could not be executed').message } };
  }
  const how = r.signal ? `was terminated by ${r.signal}` : `exited with code ${r.exitCode}`;
  // ffmpeg often explains an error over two or three lines ("… matches no streams." / "To ignore …")
  const last = r.stderrTail.slice(-3).join(' | ');
  return { outcome: 'failed', error: { code: 'FFGATE_FFMPEG_FAILED', message: `ffmpeg ${how}${last ? `: ${last}` : ''}` } };
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

function labelPaths(labels: Readonly<Record<string, string>> | undefined): ((line: string) => string) | undefined {
  if (!labels) return undefined;
  // longest first, so a temp path is replaced before the directory it lives in
  const pairs = Object.entries(labels).filter(([path]) => path.length > 0).sort(([a], [b]) => b.length - a.length);
  return (line) => pairs.reduce((text, [path, label]) => text.replaceAll(path, label), line);
}
