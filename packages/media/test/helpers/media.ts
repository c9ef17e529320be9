import { execa } from 'execa';

/** A tiny clip from ffmpeg's lavfi sources (test pattern + sine tone). */
export async function makeClip(path: string, { seconds = 2, size = '320x180', rate = 10, format = 'mp4' } = {}): Promise<void> {
  await execa('ffmpeg', [
    '-hide_banner', '-nostdin', '-v', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=duration=${seconds}:size=${size}:rate=${rate}`,
    '-f', 'lavfi', '-i', `sine=duration=${seconds}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', '-f', format, path,
  ]);
}
