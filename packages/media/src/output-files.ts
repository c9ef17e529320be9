import { link, rename, unlink } from 'node:fs/promises';
import { MediaPathError } from './errors.ts';
import { exists } from './paths.ts';

/**
 * Moves a finished temp output into place without ever overwriting: `link(2)` fails with EEXIST
 * when the final name exists, atomically, so two jobs racing for one name cannot both win. The
 * temp name is removed either way. Filesystems without hard links (some FUSE/SMB mounts: EPERM,
 * ENOTSUP) fall back to check-then-rename, which leaves a small race window.
 */
export async function commitOutput(tempPath: string, finalPath: string): Promise<void> {
  try {
    await link(tempPath, finalPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      await discardOutput(tempPath);
      throw new MediaPathError('FFGATE_MEDIA_OUTPUT_EXISTS', 'the output appeared while the job ran; outputs are never overwritten', { cause: err });
    }
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw err;
    if (await exists(finalPath)) {
      await discardOutput(tempPath);
      throw new MediaPathError('FFGATE_MEDIA_OUTPUT_EXISTS', 'the output appeared while the job ran; outputs are never overwritten', { cause: err });
    }
    await rename(tempPath, finalPath);
    return;
  }
  await discardOutput(tempPath);
}

/** Deletes a partial/temporary output; a missing file is fine (ffmpeg may not have created it). */
export async function discardOutput(tempPath: string): Promise<void> {
  try {
    await unlink(tempPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
