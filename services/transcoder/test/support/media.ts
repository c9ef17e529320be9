import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A temporary media root with test clips made by lavfi: `shared/short.mp4` (2 s) and
 * `shared/long.mp4` (120 s, small and quick to make, slow to encode at 1080p).
 */
export function makeMediaRoot(): { root: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'ffgate-transcoder-media-'));
  mkdirSync(join(root, 'shared'), { recursive: true });
  mkdirSync(join(root, 'home'), { recursive: true });
  const clip = (name: string, seconds: number) =>
    execFileSync('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-nostdin',
      '-f', 'lavfi', '-i', `testsrc2=duration=${seconds}:size=320x240:rate=25`,
      '-f', 'lavfi', '-i', `sine=duration=${seconds}`,
      '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', join(root, 'shared', name),
    ]);
  clip('short.mp4', 2);
  clip('long.mp4', 120);
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
