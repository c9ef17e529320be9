import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { execa } from 'execa';
import { join } from 'node:path';
import { describeWithFfmpeg, processAlive, waitFor } from '@ffgate/testing';
import {
  buildFfmpegArgs, commitOutput, discardOutput, exists, getProfile, listProfiles, probe, resolveFfmpeg,
  resolveMediaPath, runFfmpeg, type FfmpegProgress, type Profile,
} from '../src/index.ts';
import { makeClip } from './helpers/media.ts';

const limits = { maxRuntimeSec: 120, maxOutputBytes: 50_000_000 };

describeWithFfmpeg('ffmpeg runner on real ffmpeg', () => {
  let dir: string;
  let root: string;
  let clipMs: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ffgate-media-'));
    root = join(dir, 'media');
    await mkdir(join(root, 'shared'), { recursive: true });
    await makeClip(join(root, 'shared', 'clip.mp4'), { seconds: 2 });
    // long enough that it is still running when a test kills it
    await makeClip(join(root, 'shared', 'long.mkv'), { seconds: 120, size: '640x360', rate: 25, format: 'matroska' });
    clipMs = (await probe(join(root, 'shared', 'clip.mp4'))).durationMs ?? 0;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function prepare(profile: Profile, input: string, output: string) {
    const inp = await resolveMediaPath(root, 'u1', input);
    const out = await resolveMediaPath(root, 'u1', output, { forOutput: true });
    const args = buildFfmpegArgs({ profile, inputPath: inp.absolutePath, outputPath: out.tempPath, limits });
    return { inp, out, args };
  }

  const expected: Record<string, { video?: [string, string | null, number, number] }> = {
    'h264-720p': { video: ['h264', 'avc1', 1280, 720] },
    'h264-1080p': { video: ['h264', 'avc1', 1920, 1080] },
    'hevc-1080p': { video: ['hevc', 'hvc1', 1920, 1080] },
    'audio-aac': {},
  };

  test.each(listProfiles().map((p) => [p.name, p] as const))('profile %s encodes the clip; ffprobe confirms it', async (name, profile) => {
    const { out, args } = await prepare(profile, 'shared/clip.mp4', `home/${name}.${profile.extension}`);
    const progress: FfmpegProgress[] = [];
    const handle = await runFfmpeg({ args, durationMs: clipMs, onProgress: (p) => progress.push(p), outputLimit: { path: out.tempPath, maxBytes: limits.maxOutputBytes } });
    expect(handle.pid).toBeGreaterThan(0);
    const result = await handle.done;
    expect(result).toMatchObject({ outcome: 'succeeded', exitCode: 0, signal: null });
    expect(result.error).toBeUndefined();
    await commitOutput(out.tempPath, out.absolutePath);

    const probed = await probe(out.absolutePath);
    expect(probed.formatName).toContain('mp4');
    expect(probed.durationMs).toBeGreaterThan(clipMs * 0.9);
    const video = probed.streams.filter((s) => s.codecType === 'video');
    const audio = probed.streams.filter((s) => s.codecType === 'audio');
    expect(audio.map((s) => [s.codecName, s.channels, s.sampleRate])).toEqual([['aac', 2, 48000]]);
    const want = expected[name].video;
    expect(video.map((s) => [s.codecName, s.codecTag, s.width, s.height])).toEqual(want ? [want] : []);

    // progress blocks arrived, the last one is the end block at ~100 %
    expect(progress.length).toBeGreaterThan(0);
    const last = progress.at(-1) as FfmpegProgress;
    expect(last.end).toBe(true);
    expect(last.percent).toBeGreaterThanOrEqual(95);
    expect(result.lastProgress).toEqual(last);
  });

  test('SIGKILL → killed, process gone, partial output discarded', async () => {
    const { out, args } = await prepare(getProfile('h264-720p'), 'shared/long.mkv', 'home/killed.mp4');
    const progress: FfmpegProgress[] = [];
    const handle = await runFfmpeg({ args, onProgress: (p) => progress.push(p) });
    await waitFor(() => progress.some((p) => (p.frame ?? 0) > 0), { message: 'ffmpeg never reported a frame' });
    handle.kill();
    const result = await handle.done;
    expect(result).toMatchObject({ outcome: 'killed', signal: 'SIGKILL', exitCode: null, error: { code: 'FFGATE_FFMPEG_KILLED' } });
    expect(processAlive(handle.pid)).toBe(false);
    expect(() => process.kill(handle.pid, 0)).toThrow();
    expect(await exists(out.tempPath)).toBe(true);
    await discardOutput(out.tempPath);
    expect(await exists(out.tempPath)).toBe(false);
    expect(await exists(out.absolutePath)).toBe(false);
  });

  test('ffmpeg runs at the lowest priority (niceness 19) under its own pid, so it cannot starve the worker', async () => {
    const { args } = await prepare(getProfile('h264-720p'), 'shared/long.mkv', 'home/niced.mp4');
    const handle = await runFfmpeg({ args });
    // /proc/<pid>/stat: field 19 is the nice value; the command is ffmpeg itself (nice exec'd it)
    const stat = await waitFor(async () => {
      const text = await readFile(`/proc/${handle.pid}/stat`, 'utf8').catch(() => '');
      return text.includes('(ffmpeg)') ? text : undefined;
    }, { message: 'ffmpeg under the supervised pid' });
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    expect(Number(fields[16])).toBe(19);
    handle.kill();
    expect((await handle.done).outcome).toBe('killed');
  });

  test('an aborted signal kills too; a timeout ends timed_out', async () => {
    const { out, args } = await prepare(getProfile('h264-720p'), 'shared/long.mkv', 'home/aborted.mp4');
    const controller = new AbortController();
    const handle = await runFfmpeg({ args, signal: controller.signal });
    controller.abort();
    expect((await handle.done).outcome).toBe('killed');
    await discardOutput(out.tempPath);

    const t = await prepare(getProfile('h264-720p'), 'shared/long.mkv', 'home/timeout.mp4');
    const timed = await runFfmpeg({ args: t.args, timeoutMs: 300 });
    expect(await timed.done).toMatchObject({ outcome: 'timed_out', error: { code: 'FFGATE_FFMPEG_TIMEOUT' } });
    await discardOutput(t.out.tempPath);
  });

  test('stop() is graceful: SIGTERM → exit 255 → stopped (progress=end is not success)', async () => {
    const { out, args } = await prepare(getProfile('h264-720p'), 'shared/long.mkv', 'home/stopped.mp4');
    const progress: FfmpegProgress[] = [];
    const handle = await runFfmpeg({ args, onProgress: (p) => progress.push(p), stopGraceMs: 30_000 });
    await waitFor(() => progress.some((p) => (p.frame ?? 0) > 0));
    handle.stop();
    const result = await handle.done;
    expect(result).toMatchObject({ outcome: 'stopped', exitCode: 255, error: { code: 'FFGATE_FFMPEG_STOPPED' } });
    await discardOutput(out.tempPath);
  });

  test('a bad input fails with the last stderr lines, server paths replaced by labels', async () => {
    const missing = join(dir, 'nope.mp4');
    const handle = await runFfmpeg({ args: ['-hide_banner', '-nostdin', '-i', `file:${missing}`, '-f', 'null', '-'], pathLabels: { [missing]: 'shared/nope.mp4' } });
    const result = await handle.done;
    expect(result.outcome).toBe('failed');
    expect(result.exitCode).toBe(1);
    expect(result.error?.code).toBe('FFGATE_FFMPEG_FAILED');
    expect(result.error?.message).toMatch(/^ffmpeg exited with code 1: .*file:shared\/nope\.mp4: No such file or directory/);
    expect(result.stderrTail.join('\n')).not.toContain(dir);
  });

  test('an input with no audio fails audio-aac (the stream map requires one)', async () => {
    const silent = join(root, 'shared', 'silent.mp4');
    await execa('ffmpeg', ['-v', 'error', '-nostdin', '-f', 'lavfi', '-i', 'testsrc2=duration=1:size=160x90:rate=5', '-c:v', 'libx264', '-preset', 'ultrafast', silent]);
    const { out, args } = await prepare(getProfile('audio-aac'), 'shared/silent.mp4', 'home/silent.m4a');
    const result = await (await runFfmpeg({ args })).done;
    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'FFGATE_FFMPEG_FAILED' } });
    expect(result.error?.message).toMatch(/matches no streams/);
    await discardOutput(out.tempPath);
  });

  test('an output above maxBytes is refused even though ffmpeg exits 0 under -fs', async () => {
    const inp = await resolveMediaPath(root, 'u1', 'shared/clip.mp4');
    const out = await resolveMediaPath(root, 'u1', 'home/big.mp4', { forOutput: true });
    const small = { maxRuntimeSec: 60, maxOutputBytes: 8_000 };
    const args = buildFfmpegArgs({ profile: getProfile('h264-720p'), inputPath: inp.absolutePath, outputPath: out.tempPath, limits: small });
    const result = await (await runFfmpeg({ args, outputLimit: { path: out.tempPath, maxBytes: small.maxOutputBytes } })).done;
    expect(result.exitCode).toBe(0);
    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'FFGATE_OUTPUT_TOO_LARGE' } });
    expect((await stat(out.tempPath)).size).toBeGreaterThan(small.maxOutputBytes);
    await discardOutput(out.tempPath);
  });

  test('missing binary → FFGATE_FFMPEG_MISSING with the install command', async () => {
    await expect(runFfmpeg({ args: ['-version'], ffmpegPath: join(dir, 'no-ffmpeg') })).rejects.toMatchObject({
      code: 'FFGATE_FFMPEG_MISSING',
      message: expect.stringContaining('apt-get install -y ffmpeg, or set FFMPEG_PATH'),
    });
    await expect(runFfmpeg({ args: ['-version'], ffmpegPath: join(dir, 'no-ffmpeg'), pdeathsig: false })).rejects.toMatchObject({ code: 'FFGATE_FFMPEG_MISSING' });
    expect(() => resolveFfmpeg({ PATH: dir })).toThrow(expect.objectContaining({ code: 'FFGATE_FFMPEG_MISSING' }) as unknown as Error);
    expect(() => resolveFfmpeg({ FFMPEG_PATH: join(dir, 'x'), PATH: '/usr/bin' })).toThrow(/FFMPEG_PATH=.* is not an executable/);
    expect(resolveFfmpeg({ PATH: '/nonexistent:/usr/bin' })).toBe('/usr/bin/ffmpeg');
  });
});
