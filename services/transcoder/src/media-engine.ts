import { resolve } from 'node:path';
import type { JobDispatchEvent } from '@ffgate/contracts';
import {
  buildFfmpegArgs,
  commitOutput,
  discardOutput,
  getProfile,
  MediaError,
  probe,
  resolveMediaPath,
  runFfmpeg,
  type FfmpegProgress,
} from '@ffgate/media';
import type { EngineProcess, PreparedJob, SpawnOptions, TranscodeEngine } from './engine.ts';

export interface MediaEngineOptions {
  mediaRoot: string;
  /** default: FFMPEG_PATH, else `ffmpeg` on PATH (resolved by @ffgate/media at each spawn) */
  ffmpegPath?: string;
  /** SIGTERM → SIGKILL grace for graceful stops (default 10 s) */
  stopGraceMs?: number;
}

/**
 * The engine on top of `@ffgate/media`: paths re-resolved at start time (realpath and symlink
 * checks, since the tree may have changed since the gateway looked), the pure argument builder,
 * and the runner (setpriv --pdeathsig KILL, progress, kill/stop). The input duration for
 * `percent` is probed in parallel with the encode, so probing never delays the start.
 */
export function createMediaEngine(options: MediaEngineOptions): TranscodeEngine {
  const root = resolve(options.mediaRoot);
  return {
    async prepare(job: JobDispatchEvent): Promise<PreparedJob> {
      const profile = getProfile(job.profile);
      if (profile.queue !== job.queue) {
        throw new MediaError('FFGATE_JOB_SPEC_INVALID', `profile ${job.profile} runs on queue ${profile.queue}, not ${job.queue}`);
      }
      const input = await resolveMediaPath(root, job.owner.userId, job.input);
      const output = await resolveMediaPath(root, job.owner.userId, job.output, { forOutput: true });
      const args = buildFfmpegArgs({ profile, inputPath: input.absolutePath, outputPath: output.tempPath, limits: job.limits });
      return { args, inputPath: input.absolutePath, outputPath: output.absolutePath, tempPath: output.tempPath };
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
      const handle = await runFfmpeg({
        args: prepared.args,
        ...(options.ffmpegPath ? { ffmpegPath: options.ffmpegPath } : {}),
        onProgress,
        timeoutMs: spawnOptions.timeoutMs,
        outputLimit: { path: prepared.tempPath, maxBytes: spawnOptions.maxOutputBytes },
        stopGraceMs: options.stopGraceMs ?? 10_000,
        pdeathsig: true,
      });
      void probe(prepared.inputPath, { timeoutMs: 10_000 }).then(
        (r) => (durationMs = r.durationMs),
        () => undefined, // percent stays null; ffmpeg reports its own failure
      );
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
      await discardOutput(prepared.tempPath).catch(() => undefined);
    },
  };
}
