import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Test clips made by ffmpeg's lavfi sources under `<root>/shared/`: `clip.mp4` (2 s, 640x360),
 * `ten.mp4` (10 s, 1280x720) and `long.mp4` (`longSeconds`, small: cheap to make, slow to encode to 1080p).
 */
export function makeTestMedia(root: string, options: { longSeconds?: number; ten?: boolean } = {}): void {
  const shared = join(root, 'shared');
  mkdirSync(shared, { recursive: true });
  mkdirSync(join(root, 'home'), { recursive: true });
  const make = (name: string, seconds: number, size: string) =>
    execFileSync('ffmpeg', [
      '-nostdin', '-v', 'error', '-y',
      '-f', 'lavfi', '-i', `testsrc2=duration=${seconds}:size=${size}:rate=30`,
      '-f', 'lavfi', '-i', `sine=duration=${seconds}`,
      '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', join(shared, name),
    ]);
  make('clip.mp4', 2, '640x360');
  make('long.mp4', options.longSeconds ?? 120, '320x180');
  if (options.ten) make('ten.mp4', 10, '1280x720');
}
