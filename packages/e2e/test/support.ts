import { waitFor } from '@ffgate/testing';
import { ffmpegOfUser, metricValue, type DistributedSystem } from '../src/index.ts';

/** maxRunning 1 everywhere, so a second job of a user waits behind the first. */
export const POLICY = {
  version: 1,
  defaults: { profiles: ['h264-720p'], queues: ['default'], maxRunning: 1, maxQueued: 20 },
  rules: [{ name: 'broadcast', match: { department: 'Broadcast' }, grant: { profiles: ['h264-1080p', 'hevc-1080p'], queues: ['broadcast'], maxRunning: 1 } }],
};

export const LONG_1080P = (output: string) => ({ profile: 'h264-1080p', input: 'shared/long.mp4', output });

/** `ffgate_deprovision_to_kill_seconds` observations, summed over the live replicas */
export async function killHistogramCount(system: DistributedSystem): Promise<number> {
  let n = 0;
  for (const r of system.replicas) n += await metricValue(r.url, 'ffgate_deprovision_to_kill_seconds_count');
  return n;
}

/** waits until the user's ffmpeg process for `jobOutput` (a `home/…` path) runs; returns it */
export function waitForFfmpeg(system: DistributedSystem, userId: string, timeoutMs = 30_000) {
  return waitFor(() => ffmpegOfUser(system.mediaRoot, userId)[0], { timeoutMs, intervalMs: 10, message: `no ffmpeg of ${userId} appeared` });
}

/** index of the replica whose process is the parent of ffmpeg `ppid` */
export function replicaOf(system: DistributedSystem, ppid: number): number {
  return system.replicas.findIndex((r) => r.pid === ppid);
}
