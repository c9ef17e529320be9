import { describe, expect, test } from '@jest/globals';
import { INPUT_FORMAT_WHITELIST, buildFfmpegArgs, getProfile, listProfiles, findProfile, MediaError } from '../src/index.ts';

const limits = { maxRuntimeSec: 600, maxOutputBytes: 50_000_000 };
const io = { inputPath: '/media/shared/in.mov', outputPath: '/media/home/u1/.out.mp4.ffgate-abc.part', limits };
const head = [
  '-hide_banner', '-nostdin', '-n', '-loglevel', 'error',
  '-protocol_whitelist', 'file', '-format_whitelist', 'mov,matroska,avi,mpegts,flv,wav,mp3,ogg,flac,aac',
  '-i', 'file:/media/shared/in.mov',
];
const tail = ['-sn', '-dn', '-fs', '50000000', '-f', 'mp4', '-movflags', '+faststart', '-progress', 'pipe:1', '-nostats', 'file:/media/home/u1/.out.mp4.ffgate-abc.part'];

describe('profiles catalog', () => {
  test('ships the four profiles with their queues', () => {
    expect(listProfiles().map((p) => [p.name, p.queue])).toEqual([
      ['h264-720p', 'default'],
      ['h264-1080p', 'broadcast'],
      ['hevc-1080p', 'broadcast'],
      ['audio-aac', 'default'],
    ]);
  });
  test('unknown profile → FFGATE_PROFILE_UNKNOWN naming the known ones', () => {
    expect(findProfile('vp9')).toBeUndefined();
    expect(() => getProfile('vp9')).toThrow(expect.objectContaining({ code: 'FFGATE_PROFILE_UNKNOWN', status: 400 }) as unknown as Error);
    expect(() => getProfile('vp9')).toThrow(/h264-720p, h264-1080p, hevc-1080p, audio-aac/);
    expect(() => getProfile('vp9')).toThrow(MediaError);
  });
});

describe('buildFfmpegArgs (exact arrays)', () => {
  test('h264-720p', () => {
    expect(buildFfmpegArgs({ profile: getProfile('h264-720p'), ...io })).toEqual([
      ...head,
      '-map', '0:v:0', '-map', '0:a:0?', '-map_metadata', '-1', '-map_chapters', '-1',
      '-vf', 'scale=1280:720:force_original_aspect_ratio=decrease:force_divisible_by=2,pad=1280:720:(ow-iw)/2:(oh-ih)/2,setsar=1',
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p',
      '-c:a', 'aac', '-b:a', '128k', '-ac', '2', '-ar', '48000',
      ...tail,
    ]);
  });
  test('h264-1080p', () => {
    expect(buildFfmpegArgs({ profile: getProfile('h264-1080p'), ...io })).toEqual([
      ...head,
      '-map', '0:v:0', '-map', '0:a:0?', '-map_metadata', '-1', '-map_chapters', '-1',
      '-vf', 'scale=1920:1080:force_original_aspect_ratio=decrease:force_divisible_by=2,pad=1920:1080:(ow-iw)/2:(oh-ih)/2,setsar=1',
      '-c:v', 'libx264', '-preset', 'fast', '-crf', '21', '-pix_fmt', 'yuv420p',
      '-c:a', 'aac', '-b:a', '192k', '-ac', '2', '-ar', '48000',
      ...tail,
    ]);
  });
  test('hevc-1080p tags hvc1 and quiets x265', () => {
    expect(buildFfmpegArgs({ profile: getProfile('hevc-1080p'), ...io })).toEqual([
      ...head,
      '-map', '0:v:0', '-map', '0:a:0?', '-map_metadata', '-1', '-map_chapters', '-1',
      '-vf', 'scale=1920:1080:force_original_aspect_ratio=decrease:force_divisible_by=2,pad=1920:1080:(ow-iw)/2:(oh-ih)/2,setsar=1',
      '-c:v', 'libx265', '-preset', 'fast', '-crf', '26', '-pix_fmt', 'yuv420p', '-x265-params', 'log-level=error', '-tag:v', 'hvc1',
      '-c:a', 'aac', '-b:a', '192k', '-ac', '2', '-ar', '48000',
      ...tail,
    ]);
  });
  test('audio-aac drops video and requires an audio stream', () => {
    expect(buildFfmpegArgs({ profile: getProfile('audio-aac'), ...io })).toEqual([
      ...head,
      '-map', '0:a:0', '-map_metadata', '-1', '-map_chapters', '-1',
      '-vn', '-c:a', 'aac', '-b:a', '128k', '-ac', '2', '-ar', '48000',
      ...tail,
    ]);
  });
  test('never overwrites, never reads stdin, never lets a name pick a muxer or protocol', () => {
    for (const profile of listProfiles()) {
      const args = buildFfmpegArgs({ profile, ...io });
      expect(args).not.toContain('-y');
      expect(args).toContain('-n');
      expect(args).toContain('-nostdin');
      expect(args[args.indexOf('-f') + 1]).toBe('mp4');
      expect(args.at(-1)).toMatch(/^file:\//);
      expect(args[args.indexOf('-format_whitelist') + 1].split(',')).toEqual(INPUT_FORMAT_WHITELIST);
      expect(INPUT_FORMAT_WHITELIST).not.toEqual(expect.arrayContaining(['hls']));
      expect(INPUT_FORMAT_WHITELIST.some((f) => ['hls', 'concat', 'image2', 'lavfi', 'dash', 'tty', 'subfile'].includes(f))).toBe(false);
    }
  });
  test('refuses relative paths and bad limits', () => {
    const profile = getProfile('h264-720p');
    expect(() => buildFfmpegArgs({ profile, ...io, inputPath: 'shared/in.mov' })).toThrow(/inputPath must be an absolute path/);
    expect(() => buildFfmpegArgs({ profile, ...io, outputPath: 'out.mp4' })).toThrow(/outputPath must be an absolute path/);
    expect(() => buildFfmpegArgs({ profile, ...io, limits: { maxRuntimeSec: 1, maxOutputBytes: 0 } })).toThrow(/maxOutputBytes/);
  });
});
