import { randomBytes } from 'node:crypto';
import { lstat, mkdir, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { MediaPathError } from './errors.ts';
import { assertOwnerId, parseMediaPath, type MediaArea } from './media-path-syntax.ts';

/**
 * Resolution of a job's media path on disk (FFGATE_MEDIA_ROOT): `shared/<rel>` → `<root>/shared/<rel>`,
 * `home/<rel>` → `<root>/home/<ownerId>/<rel>`. After the syntax check, realpath decides: whatever
 * symlinks lie on the way, the file (input) or the directory (output) must end up inside the area
 * it was named in — the shared tree, or this owner's home.
 */
export interface ResolvedMediaPath {
  area: MediaArea;
  /** the job path as given */
  jobPath: string;
  /** absolute path with symlinks resolved */
  absolutePath: string;
}

export interface ResolvedOutputPath extends ResolvedMediaPath {
  /** where ffmpeg writes: a fresh hidden name in the same directory, committed by `commitOutput` */
  tempPath: string;
}

export interface ResolveOptions {
  forOutput: boolean;
}

export function areaRoot(root: string, ownerId: string, area: MediaArea): string {
  assertOwnerId(ownerId);
  return area === 'shared' ? join(root, 'shared') : join(root, 'home', ownerId);
}

export async function resolveMediaPath(root: string, ownerId: string, jobPath: string, options: { forOutput: true }): Promise<ResolvedOutputPath>;
export async function resolveMediaPath(root: string, ownerId: string, jobPath: string, options?: { forOutput?: false }): Promise<ResolvedMediaPath>;
export async function resolveMediaPath(root: string, ownerId: string, jobPath: string, options?: Partial<ResolveOptions>): Promise<ResolvedMediaPath | ResolvedOutputPath> {
  if (!isAbsolute(root)) throw new TypeError('the media root must be an absolute path');
  const forOutput = options?.forOutput ?? false;
  const { area, segments } = parseMediaPath(jobPath, { forOutput });
  const base = areaRoot(resolve(root), ownerId, area);
  if (forOutput) {
    // an owner's first output creates their home (not deeper directories: those they make themselves)
    await mkdir(base, { recursive: true, mode: 0o750 });
  }
  // a home that does not exist yet holds no inputs
  const realBase = await realpathOr(base, () => notFound(`${forOutput ? 'the directory of output' : 'input'} ${jobPath} does not exist`));
  const target = join(base, ...segments);
  return forOutput ? resolveOutput(jobPath, area, realBase, target) : resolveInput(jobPath, area, realBase, target);
}

async function resolveInput(jobPath: string, area: MediaArea, realBase: string, target: string): Promise<ResolvedMediaPath> {
  const real = await realpathOr(target, () => notFound(`input ${jobPath} does not exist`));
  if (!isInside(realBase, real, false)) throw escape(jobPath, area);
  const info = await stat(real);
  if (!info.isFile()) throw new MediaPathError('FFGATE_MEDIA_PATH_INVALID', `input ${jobPath} is not a regular file`);
  return { area, jobPath, absolutePath: real };
}

async function resolveOutput(jobPath: string, area: MediaArea, realBase: string, target: string): Promise<ResolvedOutputPath> {
  const realDir = await realpathOr(dirname(target), () => notFound(`the directory of output ${jobPath} does not exist`));
  if (!isInside(realBase, realDir, true)) throw escape(jobPath, area);
  const dirInfo = await stat(realDir);
  if (!dirInfo.isDirectory()) throw new MediaPathError('FFGATE_MEDIA_PATH_INVALID', `the parent of output ${jobPath} is not a directory`);
  const name = target.slice(dirname(target).length + 1);
  const absolutePath = join(realDir, name);
  // lstat: a dangling symlink counts as existing (writing through it could land anywhere)
  if (await exists(absolutePath)) throw outputExists(jobPath);
  const tempPath = join(realDir, `.${name}.ffgate-${randomBytes(6).toString('hex')}.part`);
  return { area, jobPath, absolutePath, tempPath };
}

/** `candidate` is `base` itself (when allowed) or below it. */
function isInside(base: string, candidate: string, allowBase: boolean): boolean {
  const rel = relative(base, candidate);
  if (rel === '') return allowBase;
  return !rel.startsWith('..') && !isAbsolute(rel);
}

async function realpathOr(path: string, onMissing: () => Error): Promise<string> {
  try {
    return await realpath(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw onMissing();
    if (code === 'ELOOP') throw new MediaPathError('FFGATE_MEDIA_PATH_INVALID', 'the path has a symlink loop', { cause: err });
    throw err;
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

function notFound(message: string): MediaPathError {
  return new MediaPathError('FFGATE_MEDIA_INPUT_NOT_FOUND', message);
}

function escape(jobPath: string, area: MediaArea): MediaPathError {
  const where = area === 'shared' ? 'the shared area' : "the owner's home";
  return new MediaPathError('FFGATE_MEDIA_PATH_FORBIDDEN', `${jobPath} leads outside ${where} (symlink)`);
}

export function outputExists(jobPath: string): MediaPathError {
  return new MediaPathError('FFGATE_MEDIA_OUTPUT_EXISTS', `output ${jobPath} already exists; outputs are never overwritten`);
}
