import { accessSync, constants } from 'node:fs';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { FfmpegMissingError } from './errors.ts';

type Env = Readonly<Record<string, string | undefined>>;

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, env: Env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isAbsolute(dir) && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/**
 * The ffmpeg to run: `FFMPEG_PATH` when set (it must be executable: a wrong override is an error,
 * not a silent fallback), else `ffmpeg` on `PATH`. Throws `FFGATE_FFMPEG_MISSING` with the command
 * that installs it.
 */
export function resolveFfmpeg(env: Env = process.env): string {
  const override = env.FFMPEG_PATH;
  if (override) {
    if (isExecutable(override)) return override;
    throw new FfmpegMissingError(`FFMPEG_PATH=${override} is not an executable file`);
  }
  const found = onPath('ffmpeg', env);
  if (!found) throw new FfmpegMissingError('ffmpeg was not found on PATH');
  return found;
}

/** ffprobe: `FFPROBE_PATH`, else next to the resolved ffmpeg, else on `PATH`. */
export function resolveFfprobe(env: Env = process.env): string {
  const override = env.FFPROBE_PATH;
  if (override) {
    if (isExecutable(override)) return override;
    throw new FfmpegMissingError(`FFPROBE_PATH=${override} is not an executable file`);
  }
  try {
    const sibling = join(dirname(resolveFfmpeg(env)), 'ffprobe');
    if (isExecutable(sibling)) return sibling;
  } catch {
    // no ffmpeg either: fall through to PATH
  }
  const found = onPath('ffprobe', env);
  if (!found) throw new FfmpegMissingError('ffprobe was not found next to ffmpeg or on PATH');
  return found;
}

/**
 * `setpriv` (util-linux) runs ffmpeg with PR_SET_PDEATHSIG=SIGKILL, so the kernel kills ffmpeg when
 * the worker that spawned it dies, even by SIGKILL. Looked up once at load. Without it (non-Linux,
 * minimal images) ffmpeg is spawned directly: a SIGKILLed worker then leaves ffmpeg running until
 * it finishes or hits its limits — install util-linux (Debian: present by default) to close that gap.
 */
/** coreutils `nice`: execs its command in place, so the pid stays ffmpeg's. */
export const NICE_PATH: string | undefined =
  process.platform === 'linux' ? (['/usr/bin/nice', '/bin/nice'].find(isExecutable) ?? onPath('nice', process.env)) : undefined;

export const SETPRIV_PATH: string | undefined =
  process.platform === 'linux' ? (['/usr/bin/setpriv', '/bin/setpriv'].find(isExecutable) ?? onPath('setpriv', process.env)) : undefined;
