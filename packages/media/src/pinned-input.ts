import { constants } from 'node:fs';
import { open, readlink, realpath } from 'node:fs/promises';
import { relative, isAbsolute, resolve } from 'node:path';
import { MediaPathError } from './errors.ts';
import { areaRoot, resolveMediaPath, type ResolvedMediaPath } from './paths.ts';

/**
 * Closes the gap between checking an input path and ffmpeg opening it: the input is opened here
 * (no symlink in the last component, non-blocking so a FIFO swapped in cannot hang us), the kernel's
 * view of what was opened (`/proc/self/fd/N`) is checked against the allowed area, and ffmpeg gets
 * that very open file as its fd 3 (`runFfmpeg({ inputFd })`), reading it as `/proc/self/fd/3`.
 * Whatever happens to the path afterwards, ffmpeg reads the file that was checked. Linux only.
 */
export const PINNED_INPUT_CHILD_PATH = '/proc/self/fd/3';

export interface PinnedInput extends ResolvedMediaPath {
  /** pass as `runFfmpeg({ inputFd })` / `probe(…, { inputFd })` */
  fd: number;
  /** the input path to give ffmpeg (`buildFfmpegArgs({ inputPath })`) */
  childPath: string;
  close(): Promise<void>;
}

export async function openMediaInput(root: string, ownerId: string, jobPath: string): Promise<PinnedInput> {
  const resolved = await resolveMediaPath(root, ownerId, jobPath);
  const handle = await open(resolved.absolutePath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ELOOP') throw new MediaPathError('FFGATE_MEDIA_PATH_FORBIDDEN', `${jobPath} was replaced by a symlink`, { cause: err });
    if (err.code === 'ENOENT') throw new MediaPathError('FFGATE_MEDIA_INPUT_NOT_FOUND', `input ${jobPath} does not exist`, { cause: err });
    throw err;
  });
  try {
    if (!(await handle.stat()).isFile()) throw new MediaPathError('FFGATE_MEDIA_PATH_INVALID', `input ${jobPath} is not a regular file`);
    const opened = await readlink(`/proc/self/fd/${handle.fd}`);
    const base = await realpath(areaRoot(resolve(root), ownerId, resolved.area));
    const rel = relative(base, opened);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      throw new MediaPathError('FFGATE_MEDIA_PATH_FORBIDDEN', `${jobPath} leads outside the allowed area (changed while being opened)`);
    }
    return { ...resolved, absolutePath: opened, fd: handle.fd, childPath: PINNED_INPUT_CHILD_PATH, close: () => handle.close() };
  } catch (err) {
    await handle.close();
    throw err;
  }
}
