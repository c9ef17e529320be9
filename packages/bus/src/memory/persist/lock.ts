import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BusError } from '../../errors.ts';
import type { BusLogger } from '../../logger.ts';

/** directories held by a bus of this process (two buses on one directory would interleave seqs) */
const held = new Set<string>();

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Claim a persistence directory for this bus: one writer only. A `LOCK` file names the holder;
 * a lock left by a dead process of this host (or by this process's own pid, which a container
 * restart reuses) is taken over. A lock from another host cannot be checked and is taken over
 * with a warning — do not share the directory between machines.
 */
export function lockDirectory(dir: string, logger: BusLogger): () => void {
  const key = path.resolve(dir);
  if (held.has(key)) throw new BusError('FFGATE_BUS_CONNECT_FAILED', `bus directory ${dir} is already open in this process`);
  const file = path.join(dir, 'LOCK');
  try {
    const prior = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: number; hostname?: string };
    if (prior.hostname === os.hostname()) {
      if (typeof prior.pid === 'number' && prior.pid !== process.pid && alive(prior.pid)) {
        throw new BusError('FFGATE_BUS_CONNECT_FAILED', `bus directory ${dir} is in use by process ${prior.pid}`);
      }
    } else logger.warn({ dir, holder: prior }, 'taking over a bus directory locked by another host');
  } catch (err) {
    if (err instanceof BusError) throw err;
    // no lock file, or an unreadable one left by a crash: take it
  }
  fs.writeFileSync(file, JSON.stringify({ pid: process.pid, hostname: os.hostname(), since: new Date().toISOString() }));
  held.add(key);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held.delete(key);
    fs.rmSync(file, { force: true });
  };
}
