import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { mkdir, mkdtemp, rename, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithFfmpeg } from '@ffgate/testing';
import { buildFfmpegArgs, discardOutput, getProfile, openMediaInput, probe, resolveMediaPath, runFfmpeg } from '../src/index.ts';
import { makeClip } from './helpers/media.ts';

/**
 * Check-then-use: a path that was checked can be swapped (here: for a symlink to a file outside the
 * media root) before ffmpeg opens it. A pinned input hands ffmpeg the very file that was checked.
 */
describeWithFfmpeg('pinned input (fd 3)', () => {
  let dir: string;
  let root: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ffgate-pin-'));
    root = join(dir, 'media');
    await mkdir(join(root, 'home', 'u1'), { recursive: true });
    await mkdir(join(dir, 'outside'));
    await makeClip(join(root, 'home', 'u1', 'in.mp4'), { seconds: 3 });
    await makeClip(join(dir, 'outside', 'secret.mp4'), { seconds: 1 });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('a swap after the check does not change what ffmpeg reads', async () => {
    const pinned = await openMediaInput(root, 'u1', 'home/in.mp4');
    try {
      expect(pinned.absolutePath).toBe(join(root, 'home', 'u1', 'in.mp4'));
      // the attack: replace the checked file by a symlink leaving the home
      await rename(join(root, 'home', 'u1', 'in.mp4'), join(root, 'home', 'u1', 'moved.mp4'));
      await symlink(join(dir, 'outside', 'secret.mp4'), join(root, 'home', 'u1', 'in.mp4'));

      const probed = await probe(pinned.childPath, { inputFd: pinned.fd });
      expect(probed.durationMs).toBeGreaterThan(2500);
      const out = await resolveMediaPath(root, 'u1', 'home/out.m4a', { forOutput: true });
      const args = buildFfmpegArgs({ profile: getProfile('audio-aac'), inputPath: pinned.childPath, outputPath: out.tempPath, limits: { maxRuntimeSec: 60, maxOutputBytes: 10_000_000 } });
      const result = await (await runFfmpeg({ args, inputFd: pinned.fd })).done;
      expect(result.outcome).toBe('succeeded');
      expect((await probe(out.tempPath)).durationMs).toBeGreaterThan(2500); // the 3 s original, not the 1 s secret
      await discardOutput(out.tempPath);
    } finally {
      await pinned.close();
    }
    // a fresh check now refuses the swapped path
    await expect(openMediaInput(root, 'u1', 'home/in.mp4')).rejects.toMatchObject({ code: 'FFGATE_MEDIA_PATH_FORBIDDEN' });
  });
});
