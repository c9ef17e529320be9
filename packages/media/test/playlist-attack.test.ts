import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithFfmpeg } from '@ffgate/testing';
import { buildFfmpegArgs, discardOutput, exists, getProfile, probe, resolveMediaPath, runFfmpeg } from '../src/index.ts';
import { makeClip } from './helpers/media.ts';

/**
 * A text playlist saved as `evil.mp4` inside shared/ passes every path check (it is a regular file in
 * the shared area) but points ffmpeg at a file outside the media root. The demuxer allow-list is what
 * stops it; the control run without it shows the attack is real on this ffmpeg.
 */
describeWithFfmpeg('a playlist disguised as .mp4', () => {
  let dir: string;
  let root: string;
  let secret: string;
  const limits = { maxRuntimeSec: 60, maxOutputBytes: 50_000_000 };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ffgate-hls-'));
    root = join(dir, 'media');
    await mkdir(join(root, 'shared'), { recursive: true });
    await mkdir(join(dir, 'outside'));
    secret = join(dir, 'outside', 'secret.ts');
    await makeClip(secret, { seconds: 1, format: 'mpegts' });
    await writeFile(
      join(root, 'shared', 'evil.mp4'),
      ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-TARGETDURATION:2', '#EXT-X-MEDIA-SEQUENCE:0', '#EXTINF:1.0,', secret, '#EXT-X-ENDLIST', ''].join('\n'),
    );
    await writeFile(join(root, 'shared', 'evil-concat.mp4'), `ffconcat version 1.0\nfile '${secret}'\n`);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function attempt(input: string, output: string) {
    const inp = await resolveMediaPath(root, 'u1', input); // the path checks accept it
    const out = await resolveMediaPath(root, 'u1', output, { forOutput: true });
    const args = buildFfmpegArgs({ profile: getProfile('h264-720p'), inputPath: inp.absolutePath, outputPath: out.tempPath, limits });
    return { out, args };
  }

  test('refused by the demuxer allow-list: the run fails and no output is written', async () => {
    for (const input of ['shared/evil.mp4', 'shared/evil-concat.mp4']) {
      const { out, args } = await attempt(input, `home/from-${input.slice(7, -4)}.mp4`);
      const result = await (await runFfmpeg({ args })).done;
      expect(result.outcome).toBe('failed');
      expect(result.stderrTail.join('\n')).toMatch(/Format not on whitelist/);
      expect(await exists(out.tempPath)).toBe(false);
      expect(await exists(out.absolutePath)).toBe(false);
    }
    await expect(probe(join(root, 'shared', 'evil.mp4'))).rejects.toMatchObject({ code: 'FFGATE_FFPROBE_FAILED' });
  });

  test('control: the same run without -format_whitelist reads the outside file', async () => {
    const { out, args } = await attempt('shared/evil.mp4', 'home/control.mp4');
    const at = args.indexOf('-format_whitelist');
    const unguarded = [...args.slice(0, at), ...args.slice(at + 2)];
    expect(unguarded).toContain('-protocol_whitelist');
    const result = await (await runFfmpeg({ args: unguarded })).done;
    expect(result.outcome).toBe('succeeded');
    // the output holds the secret clip's ~1 s of video: bytes from outside the media root got in
    const probed = await probe(out.tempPath);
    expect(probed.streams.some((s) => s.codecType === 'video')).toBe(true);
    expect(probed.durationMs).toBeGreaterThan(500);
    expect((await readFile(out.tempPath)).length).toBeGreaterThan(1000);
    await discardOutput(out.tempPath);
  });
});
