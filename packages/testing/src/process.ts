import { existsSync, readFileSync } from 'node:fs';

/**
 * The one-letter scheduler state of `pid` from /proc/<pid>/stat (`R`, `S`, `Z` for a zombie, …),
 * or undefined when there is no such process. The state follows the last `)`: the command name in
 * parentheses may itself contain spaces and parentheses.
 */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) || undefined;
  } catch {
    return undefined;
  }
}

const HAVE_PROC = existsSync('/proc/self/stat');

/**
 * True while `pid` runs. A zombie counts as dead: it has exited and only waits for its parent to
 * reap it, which may never happen when a killed worker's ffmpeg is reparented to a PID 1 that does
 * not reap (a container without an init). `kill(pid, 0)` and `existsSync('/proc/<pid>')` both
 * report such a zombie as alive, so a "the process died" wait would time out.
 * Without /proc (not Linux) this falls back to `kill(pid, 0)`, which cannot tell zombies apart.
 */
export function processAlive(pid: number): boolean {
  if (HAVE_PROC) {
    const state = processState(pid);
    return state !== undefined && state !== 'Z' && state !== 'X';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
