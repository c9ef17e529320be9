import { z } from 'zod';
import { MediaError } from './errors.ts';

/**
 * The encoder profiles catalog, as data. Users pick a profile by name; they never pass ffmpeg
 * arguments. `buildFfmpegArgs` turns a profile into an argument array. Each profile names the queue
 * its jobs travel on (`jobs.<queue>`); a job's queue is its profile's queue.
 */
const Name = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);

export const VideoSettings = z.strictObject({
  codec: z.enum(['libx264', 'libx265']),
  /** the output frame is exactly width×height: scaled to fit, then padded (letterbox) */
  width: z.number().int().min(16).max(7680).multipleOf(2),
  height: z.number().int().min(16).max(4320).multipleOf(2),
  crf: z.number().int().min(0).max(51),
  preset: z.enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow']),
  pixelFormat: z.literal('yuv420p'),
  /** fourcc written into the container; `hvc1` makes HEVC in MP4 play on Apple devices */
  tag: z.string().regex(/^[a-z0-9]{4}$/).optional(),
});
export type VideoSettings = z.infer<typeof VideoSettings>;

export const AudioSettings = z.strictObject({
  codec: z.literal('aac'),
  bitrateKbps: z.number().int().min(16).max(512),
  channels: z.number().int().min(1).max(2),
  sampleRate: z.union([z.literal(44100), z.literal(48000)]),
});
export type AudioSettings = z.infer<typeof AudioSettings>;

export const Profile = z
  .strictObject({
    name: Name,
    description: z.string().min(1),
    queue: Name,
    /** the muxer, always passed explicitly (`-f`) so an output file name never picks one */
    container: z.literal('mp4'),
    /** the usual file extension of outputs (advisory: the muxer is fixed either way) */
    extension: z.enum(['mp4', 'm4a']),
    video: VideoSettings.nullable(),
    audio: AudioSettings.nullable(),
  })
  .refine((p) => p.video !== null || p.audio !== null, { message: 'a profile needs video or audio' });
export type Profile = z.infer<typeof Profile>;

const aacStereo: AudioSettings = { codec: 'aac', bitrateKbps: 128, channels: 2, sampleRate: 48000 };

const CATALOG: readonly Profile[] = z.array(Profile).parse([
  {
    name: 'h264-720p',
    description: 'H.264 1280x720 in MP4, AAC stereo audio',
    queue: 'default',
    container: 'mp4',
    extension: 'mp4',
    video: { codec: 'libx264', width: 1280, height: 720, crf: 23, preset: 'veryfast', pixelFormat: 'yuv420p' },
    audio: aacStereo,
  },
  {
    name: 'h264-1080p',
    description: 'H.264 1920x1080 in MP4, AAC stereo audio',
    queue: 'broadcast',
    container: 'mp4',
    extension: 'mp4',
    video: { codec: 'libx264', width: 1920, height: 1080, crf: 21, preset: 'fast', pixelFormat: 'yuv420p' },
    audio: { ...aacStereo, bitrateKbps: 192 },
  },
  {
    name: 'hevc-1080p',
    description: 'HEVC (H.265) 1920x1080 in MP4 tagged hvc1, AAC stereo audio',
    queue: 'broadcast',
    container: 'mp4',
    extension: 'mp4',
    video: { codec: 'libx265', width: 1920, height: 1080, crf: 26, preset: 'fast', pixelFormat: 'yuv420p', tag: 'hvc1' },
    audio: { ...aacStereo, bitrateKbps: 192 },
  },
  {
    name: 'audio-aac',
    description: 'Audio only: AAC stereo in an MP4 (M4A) container',
    queue: 'default',
    container: 'mp4',
    extension: 'm4a',
    video: null,
    audio: aacStereo,
  },
]);

const BY_NAME = new Map(CATALOG.map((p) => [p.name, p]));

export function listProfiles(): readonly Profile[] {
  return CATALOG;
}

export function findProfile(name: string): Profile | undefined {
  return BY_NAME.get(name);
}

/** The named profile, or a 400-style `FFGATE_PROFILE_UNKNOWN` listing the known names. */
export function getProfile(name: string): Profile {
  const profile = BY_NAME.get(name);
  if (!profile) {
    throw new MediaError('FFGATE_PROFILE_UNKNOWN', `unknown profile ${JSON.stringify(name)}; known profiles: ${[...BY_NAME.keys()].join(', ')}`);
  }
  return profile;
}
