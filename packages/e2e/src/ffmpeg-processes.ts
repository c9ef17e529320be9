import { readdirSync, readFileSync } from 'node:fs';

export interface FfmpegProcess {
  pid: number;
  ppid: number;
  args: string[];
  /** the last argument without a `file:` prefix: ffmpeg's output path (the builder puts it last) */
  output: string;
}

/** Every ffmpeg process on the machine, from /proc/<pid>/cmdline (no `ps`, so it is cheap to poll). */
export function listFfmpegProcesses(): FfmpegProcess[] {
  const found: FfmpegProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (args.length === 0 || !/(^|\/)ffmpeg$/.test(args[0])) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // fields after the `(comm)` part: state ppid …
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      found.push({ pid: Number(entry), ppid, args, output: args[args.length - 1].replace(/^file:/, '') });
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** ffmpeg processes writing under `<mediaRoot>/home/<userId>/` (a user's jobs). */
export function ffmpegOfUser(mediaRoot: string, userId: string): FfmpegProcess[] {
  const prefix = `${mediaRoot.replace(/\/+$/, '')}/home/${userId}/`;
  return listFfmpegProcesses().filter((p) => p.output.startsWith(prefix));
}

/** ffmpeg processes writing anywhere under `mediaRoot`. */
export function ffmpegUnder(mediaRoot: string): FfmpegProcess[] {
  const prefix = `${mediaRoot.replace(/\/+$/, '')}/`;
  return listFfmpegProcesses().filter((p) => p.output.startsWith(prefix));
}
