import type { JobDispatchEvent } from '@ffgate/contracts';

/**
 * What the transcoder needs from the media layer, as a small port: the service owns the policy
 * (when to start, kill, retry, commit), the engine owns paths, arguments and the ffmpeg process.
 * `createMediaEngine` (media-engine.ts) implements it with `@ffgate/media`; unit tests use fakes.
 */
export interface PreparedJob {
  /** the exact ffmpeg argument list (for the audit trail) */
  readonly args: readonly string[];
  /** where the output lands on success */
  readonly outputPath: string;
  /** where ffmpeg writes while running (same directory, renamed on success) */
  readonly tempPath: string;
  readonly inputPath: string;
}

export interface EngineProgress {
  percent: number | null;
  fps: number | null;
  speed: number | null;
  outTimeMs: number | null;
}

export interface EngineExit {
  /** as the media runner classifies it */
  outcome: 'succeeded' | 'failed' | 'killed' | 'stopped' | 'timed_out';
  exitCode: number | null;
  signal: string | null;
  /** epoch ms at which the exit was seen */
  exitedAt: number;
  error?: { code: string; message: string };
}

export interface EngineProcess {
  readonly pid: number;
  /** immediate signal (synchronous: the deprovisioning path must not await before it) */
  kill(): void;
  /** graceful: SIGTERM, SIGKILL after a grace period */
  stop(): void;
  readonly exited: Promise<EngineExit>;
}

export interface SpawnOptions {
  onProgress: (p: EngineProgress) => void;
  /** wall-clock limit; outcome `timed_out` when reached */
  timeoutMs: number;
  maxOutputBytes: number;
}

export interface TranscodeEngine {
  /** resolve and re-check the job's paths (realpath, symlinks) and build the arguments; throws */
  prepare(job: JobDispatchEvent): Promise<PreparedJob>;
  /** start ffmpeg (tied to this process: it dies with it); throws when it cannot start */
  spawn(prepared: PreparedJob, options: SpawnOptions): Promise<EngineProcess>;
  /** move the temporary output into place, never overwriting; throws */
  commit(prepared: PreparedJob): Promise<void>;
  /** delete the temporary (partial) output; never throws */
  discard(prepared: PreparedJob): Promise<void>;
}

/** Failure codes worth another attempt (possibly on another replica). */
export const TRANSIENT_ENGINE_CODES: ReadonlySet<string> = new Set(['FFGATE_FFMPEG_MISSING', 'FFGATE_FFMPEG_SPAWN_FAILED']);

export function errorCodeOf(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('FFGATE_') ? code : 'FFGATE_TRANSCODER_INTERNAL';
}
