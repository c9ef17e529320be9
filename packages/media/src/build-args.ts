import type { AudioSettings, Profile, VideoSettings } from './profiles.ts';

/**
 * The pure argument builder: (profile, paths, limits) → ffmpeg's argument array. No I/O, no
 * environment, so the exact arrays are unit-tested. The runner passes them to ffmpeg without a shell.
 */

/**
 * Demuxers allowed to read job inputs. Real media containers only: no playlists (hls, dash), no
 * concat/ffconcat scripts, no image2 patterns, no tty/lavfi/device inputs — each of those can make
 * ffmpeg open other files, URLs or devices than the one the path check approved. (An HLS playlist
 * saved as `x.mp4` is probed as hls regardless of its name; `-protocol_whitelist file` alone lets it
 * read any local file.) ffmpeg matches these against each demuxer's name list, so `mov` covers
 * mov/mp4/m4a/3gp and `matroska` covers webm.
 */
export const INPUT_FORMAT_WHITELIST: readonly string[] = ['mov', 'matroska', 'avi', 'mpegts', 'flv', 'wav', 'mp3', 'ogg', 'flac', 'aac'];

export interface FfmpegLimits {
  /** wall-clock bound, enforced by the runner's timeout (not an ffmpeg option: `-t` would cap the
   * media duration and silently truncate a long input with exit code 0) */
  maxRuntimeSec: number;
  /** `-fs`: ffmpeg stops writing past this size; the runner also refuses a larger output */
  maxOutputBytes: number;
}

export interface BuildFfmpegArgsInput {
  profile: Profile;
  /** absolute path of the input, already checked by `resolveMediaPath` */
  inputPath: string;
  /** absolute path of the (temporary) output, already checked by `resolveMediaPath` */
  outputPath: string;
  limits: FfmpegLimits;
}

/** Arguments that keep ffmpeg to one local input of a real media format, without interaction. */
export function inputSafetyArgs(): string[] {
  return ['-protocol_whitelist', 'file', '-format_whitelist', INPUT_FORMAT_WHITELIST.join(',')];
}

export function buildFfmpegArgs({ profile, inputPath, outputPath, limits }: BuildFfmpegArgsInput): string[] {
  assertAbsolute(inputPath, 'inputPath');
  assertAbsolute(outputPath, 'outputPath');
  if (!Number.isInteger(limits.maxOutputBytes) || limits.maxOutputBytes <= 0) {
    throw new TypeError('limits.maxOutputBytes must be a positive integer');
  }
  return [
    // -n: never overwrite (the output is a fresh temporary name; an existing file is an error)
    '-hide_banner', '-nostdin', '-n', '-loglevel', 'error',
    ...inputSafetyArgs(),
    // `file:` so that no part of a path is ever read as a protocol prefix
    '-i', `file:${inputPath}`,
    ...streamMapping(profile),
    // metadata and chapters of the input stay out of the output
    '-map_metadata', '-1', '-map_chapters', '-1',
    ...(profile.video ? videoArgs(profile.video) : ['-vn']),
    ...(profile.audio ? audioArgs(profile.audio) : ['-an']),
    '-sn', '-dn',
    '-fs', String(limits.maxOutputBytes),
    // the muxer is explicit: a crafted output name cannot choose one
    '-f', profile.container, '-movflags', '+faststart',
    '-progress', 'pipe:1', '-nostats',
    `file:${outputPath}`,
  ];
}

function streamMapping(profile: Profile): string[] {
  const args: string[] = [];
  if (profile.video) args.push('-map', '0:v:0');
  // video profiles keep audio when the input has some (`?`); an audio profile requires it
  if (profile.audio) args.push('-map', profile.video ? '0:a:0?' : '0:a:0');
  return args;
}

function videoArgs(video: VideoSettings): string[] {
  const { width: w, height: h } = video;
  const args = [
    '-vf', `scale=${w}:${h}:force_original_aspect_ratio=decrease:force_divisible_by=2,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2,setsar=1`,
    '-c:v', video.codec, '-preset', video.preset, '-crf', String(video.crf), '-pix_fmt', video.pixelFormat,
  ];
  // x265 logs every encode's statistics to stderr; keep stderr for errors
  if (video.codec === 'libx265') args.push('-x265-params', 'log-level=error');
  if (video.tag) args.push('-tag:v', video.tag);
  return args;
}

function audioArgs(audio: AudioSettings): string[] {
  return ['-c:a', audio.codec, '-b:a', `${audio.bitrateKbps}k`, '-ac', String(audio.channels), '-ar', String(audio.sampleRate)];
}

function assertAbsolute(path: string, name: string): void {
  if (!path.startsWith('/') || path.includes('\0')) throw new TypeError(`${name} must be an absolute path`);
}
