import { resolve } from 'node:path';
import type { JobDispatchEvent } from '@ffgate/contracts';
import {
  buildFfmpegArgs,
  commitOutput,
  discardOutput,
  getProfile,
  MediaError,
  openMediaInput,
  probe,
  resolveMediaPath,
  runFfmpeg,
  type FfmpegProgress,
  type PinnedInput,
} from '@ffgate/media';
import type { EngineProcess, PreparedJob, SpawnOptions, TranscodeEngine } from './engine.ts';

export interface MediaEngineOptions {
  mediaRoot: string;
  /** default: FFMPEG_PATH, else `ffmpeg` on PATH (resolved by @ffgate/media at each spawn) */
  ffmpegPath?: string;
  /** SIGTERM → SIGKILL grace for graceful stops (default 10 s) */
  stopGraceMs?: number;
}

/** A prepared job handed back twice (or from elsewhere): a bug in the caller, never retried into success. */
class EngineMisuseError extends Error {
  readonly code = 'FFGATE_TRANSCODER_INTERNAL';
}

/** The open input of a prepared job: the fd ffmpeg inherits, closed once (idempotent). */
interface HeldInput {
  fd: number;
  childPath: string;
  release(): Promise<void>;
}

function holdInput(pinned: PinnedInput): HeldInput {
  let closing: Promise<void> | undefined;
  return {
    fd: pinned.fd,
    childPath: pinned.childPath,
    // the handle is gone either way; a failing close must not fail the job
    release: () => (closing ??= pinned.close().catch(() => undefined)),
  };
}

/**
 * The engine on top of `@ffgate/media`: paths re-resolved at start time (realpath and symlink
 * checks, since the tree may have changed since the gateway looked), the pure argument builder,
 * and the runner (setpriv --pdeathsig KILL, progress, kill/stop). The input is opened (pinned) in
 * `prepare()` and ffmpeg reads that very open file as its fd 3 (`/proc/self/fd/3`), so swapping
 * the path between the check and the spawn changes nothing. The parent's fd is closed as soon as
 * ffmpeg (and the probe) hold their own copies, or in `discard()` when the job never spawns. The
 * input duration for `percent` is probed in parallel with the encode, so probing never delays the start.
 */
export function createMediaEngine(options: MediaEngineOptions): TranscodeEngine {
  const root = resolve(options.mediaRoot);
  // engine-private state of a prepared job (the port's PreparedJob stays plain data)
  const held = new WeakMap<PreparedJob, HeldInput>();
  return {
    async prepare(job: JobDispatchEvent): Promise<PreparedJob> {
      const profile = getProfile(job.profile);
      if (profile.queue !== job.queue) {
        throw new MediaError('FFGATE_JOB_SPEC_INVALID', `profile ${job.profile} runs on queue ${profile.queue}, not ${job.queue}`);
      }
      const pinned = await openMediaInput(root, job.owner.userId, job.input);
      const input = holdInput(pinned);
      try {
        const output = await resolveMediaPath(root, job.owner.userId, job.output, { forOutput: true });
        const args = buildFfmpegArgs({ profile, inputPath: input.childPath, outputPath: output.tempPath, limits: job.limits });
        // inputPath: the file the kernel opened (for logs and the audit trail; ffmpeg reads the fd)
        const prepared: PreparedJob = { args, inputPath: pinned.absolutePath, outputPath: output.absolutePath, tempPath: output.tempPath };
        held.set(prepared, input);
        return prepared;
      } catch (err) {
        await input.release();
        throw err;
      }
    },

    async spawn(prepared: PreparedJob, spawnOptions: SpawnOptions): Promise<EngineProcess> {
      let durationMs: number | null = null;
      const onProgress = (p: FfmpegProgress) =>
        spawnOptions.onProgress({
          outTimeMs: p.outTimeMs,
          fps: p.fps,
          speed: p.speed,
          percent: p.percent ?? (durationMs && p.outTimeMs !== null ? Math.min(100, Math.round((p.outTimeMs / durationMs) * 1000) / 10) : null),
        });
      const input = held.get(prepared);
      if (!input) throw new EngineMisuseError('the job was not prepared by this engine, or was already spawned or discarded');
      let handle;
      try {
        handle = await runFfmpeg({
          args: prepared.args,
          ...(options.ffmpegPath ? { ffmpegPath: options.ffmpegPath } : {}),
          onProgress,
          timeoutMs: spawnOptions.timeoutMs,
          outputLimit: { path: prepared.tempPath, maxBytes: spawnOptions.maxOutputBytes },
          stopGraceMs: options.stopGraceMs ?? 10_000,
          pdeathsig: true,
          inputFd: input.fd,
        });
        // the same pinned file: execa spawns ffprobe synchronously inside this call, so the child
        // holds its copy of the fd before the release below closes ours
        void probe(input.childPath, { timeoutMs: 10_000, inputFd: input.fd }).then(
          (r) => (durationMs = r.durationMs),
          () => undefined, // percent stays null; ffmpeg reports its own failure
        );
      } finally {
        held.delete(prepared);
        await input.release();
      }
      const exited = handle.done.then((r) => ({
        outcome: r.outcome,
        exitCode: r.exitCode,
        signal: r.signal,
        exitedAt: Date.now(),
        ...(r.error ? { error: r.error } : {}),
      }));
      return { pid: handle.pid, kill: () => handle.kill('SIGKILL'), stop: () => handle.stop(), exited };
    },

    commit: (prepared) => commitOutput(prepared.tempPath, prepared.outputPath),

    async discard(prepared) {
      // a job that never spawned still holds its input open
      await held.get(prepared)?.release();
      held.delete(prepared);
      await discardOutput(prepared.tempPath).catch(() => undefined);
    },
  };
}
