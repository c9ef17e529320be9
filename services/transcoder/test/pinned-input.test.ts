import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rename, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryBus, silentLogger } from '@ffgate/bus';
import { AuditStream, JobEventsStream, type AuditRecordEvent, type JobDispatchEvent } from '@ffgate/contracts';
import { PINNED_INPUT_CHILD_PATH, probe } from '@ffgate/media';
import { loadPolicy } from '@ffgate/policy';
import { describeWithFfmpeg, waitFor } from '@ffgate/testing';
import { RevocationView } from '@ffgate/verifier';
import { createMediaEngine } from '../src/index.ts';
import type { EngineProgress, SpawnOptions } from '../src/engine.ts';
import { IdentityView } from '../src/identity-view.ts';
import { createJobHandler } from '../src/job-handler.ts';
import { createTranscoderMetrics } from '../src/metrics.ts';
import { Reporter } from '../src/reporter.ts';
import { RunningJobs } from '../src/running-jobs.ts';
import { Slots } from '@ffgate/bus';
import { makeUser } from './support/identity.ts';

/**
 * The engine pins a job's input in `prepare()` (an open fd, handed to ffmpeg as fd 3): swapping the
 * checked path before the spawn changes nothing ffmpeg reads, and the pin never outlives the job.
 */
const openFds = (): number => readdirSync('/proc/self/fd').length;

function clip(path: string, seconds: number): void {
  execFileSync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    '-f', 'lavfi', '-i', `sine=duration=${seconds}`,
    '-c:a', 'aac', path,
  ]);
}

describeWithFfmpeg('media engine: pinned input', () => {
  const ownerId = randomUUID();
  let dir: string;
  let root: string;
  let home: string;
  let outside: string;

  const job = (input: string, output: string, profile = 'audio-aac'): JobDispatchEvent => ({
    id: randomUUID(),
    type: 'job.dispatch',
    time: new Date().toISOString(),
    jobId: `job-${randomUUID()}`,
    owner: { userId: ownerId, userName: 'u@x', clientId: 'c', jti: randomUUID(), iat: Math.floor(Date.now() / 1000) - 5 },
    profile,
    queue: 'default',
    input,
    output,
    limits: { maxRuntimeSec: 60, maxOutputBytes: 50_000_000 },
  });
  const spawnOptions = (progress: EngineProgress[] = []): SpawnOptions => ({ onProgress: (p) => progress.push(p), timeoutMs: 60_000, maxOutputBytes: 50_000_000 });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ffgate-transcoder-pin-'));
    root = join(dir, 'media');
    home = join(root, 'home', ownerId);
    outside = join(dir, 'outside', 'secret.m4a');
    await mkdir(home, { recursive: true });
    await mkdir(join(root, 'shared'));
    await mkdir(join(dir, 'outside'));
    clip(join(home, 'in.m4a'), 3);
    clip(join(home, 'keep.m4a'), 3);
    clip(outside, 1);
    execFileSync('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-nostdin',
      '-f', 'lavfi', '-i', 'testsrc2=duration=1:size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine=duration=1',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', join(home, 'video.mp4'),
    ]);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('a swap between prepare and spawn does not change what ffmpeg reads', async () => {
    const engine = createMediaEngine({ mediaRoot: root });
    const before = openFds();
    const prepared = await engine.prepare(job('home/in.m4a', 'home/out.m4a'));
    expect(prepared.args).toContain(`file:${PINNED_INPUT_CHILD_PATH}`);
    expect(prepared.args.join(' ')).not.toContain(join(home, 'in.m4a'));
    expect(prepared.inputPath).toBe(await realpath(join(home, 'in.m4a')));

    // the attack: the checked file is replaced by a symlink leaving the home
    await rename(join(home, 'in.m4a'), join(home, 'moved.m4a'));
    await symlink(outside, join(home, 'in.m4a'));

    const proc = await engine.spawn(prepared, spawnOptions());
    const exit = await proc.exited;
    expect(exit).toMatchObject({ outcome: 'succeeded', exitCode: 0 });
    await engine.commit(prepared);
    // the 3 s original, not the 1 s file outside the root
    expect((await probe(join(home, 'out.m4a'))).durationMs).toBeGreaterThan(2500);
    // ffmpeg and the duration probe had their own copies; ours is closed once both are done
    await waitFor(() => openFds() === before, { timeoutMs: 15_000, message: `open fds stay above ${before}` });
  });

  test('a prepared job that never spawns releases its input in discard (idempotent)', async () => {
    const engine = createMediaEngine({ mediaRoot: root });
    const before = openFds();
    const prepared = await engine.prepare(job('home/keep.m4a', 'home/never.m4a'));
    expect(openFds()).toBe(before + 1); // the pin
    await engine.discard(prepared);
    expect(openFds()).toBe(before);
    await engine.discard(prepared); // job-handler may discard more than once on some paths
    expect(openFds()).toBe(before);
    // a discarded job cannot be spawned on a closed (possibly reused) fd
    await expect(engine.spawn(prepared, spawnOptions())).rejects.toMatchObject({ code: 'FFGATE_TRANSCODER_INTERNAL' });
    expect(readdirSync(home).some((f) => f.includes('never'))).toBe(false);
  });

  test('ffmpeg failing to start releases the input (spawn, then discard as the job handler does)', async () => {
    const engine = createMediaEngine({ mediaRoot: root, ffmpegPath: join(dir, 'no-such-ffmpeg') });
    const before = openFds();
    const prepared = await engine.prepare(job('home/keep.m4a', 'home/unstarted.m4a'));
    await expect(engine.spawn(prepared, spawnOptions())).rejects.toMatchObject({ code: 'FFGATE_FFMPEG_MISSING' });
    expect(openFds()).toBe(before);
    await engine.discard(prepared);
    expect(openFds()).toBe(before);
  });

  test('prepare failing after the input was opened (output exists) leaves no fd behind', async () => {
    const engine = createMediaEngine({ mediaRoot: root });
    writeFileSync(join(home, 'taken.m4a'), 'x');
    const before = openFds();
    await expect(engine.prepare(job('home/keep.m4a', 'home/taken.m4a'))).rejects.toMatchObject({ code: 'FFGATE_MEDIA_OUTPUT_EXISTS' });
    expect(openFds()).toBe(before);
  });

  test('an input already swapped for a symlink out of the root is refused at prepare', async () => {
    const engine = createMediaEngine({ mediaRoot: root });
    await symlink(outside, join(home, 'link.m4a'));
    const before = openFds();
    await expect(engine.prepare(job('home/link.m4a', 'home/from-link.m4a'))).rejects.toMatchObject({ code: 'FFGATE_MEDIA_PATH_FORBIDDEN' });
    expect(openFds()).toBe(before);
  });

  test('the job.started audit record names the pinned input (args say /proc/self/fd/3)', async () => {
    const bus = createMemoryBus({ logger: silentLogger });
    await bus.ensureStream(AuditStream);
    await bus.ensureStream(JobEventsStream);
    const audits: AuditRecordEvent[] = [];
    await bus.consume<AuditRecordEvent>({ stream: AuditStream.name, deliver: 'all' }, async (d) => (audits.push(d.event), { kind: 'ack' }));
    const identities = new IdentityView();
    identities.apply(ownerId, 1, makeUser(ownerId), false);
    const policy = await loadPolicy();
    const handle = createJobHandler({
      engine: createMediaEngine({ mediaRoot: root }),
      running: new RunningJobs(),
      reporter: new Reporter({ bus, replicaId: 'w1' }),
      admission: { identities, revocations: new RevocationView(), policy: () => policy, canceledEarlier: () => undefined },
      slots: new Slots(1),
      metrics: createTranscoderMetrics(undefined),
      logger: silentLogger,
      maxAttempts: 1,
      mayStart: () => true,
      isDraining: () => false,
    });
    const j = job('home/video.mp4', 'home/video-720p.mp4', 'h264-720p');
    const outcome = await handle({ subject: 'jobs.default', event: j, headers: {}, seq: 1, deliveryCount: 1, working() {} });
    expect(outcome).toEqual({ kind: 'ack' });
    const started = await waitFor(() => audits.find((a) => a.action === 'job.started'), { message: 'no job.started record' });
    expect(started.details).toMatchObject({ input: 'home/video.mp4', inputPath: await realpath(join(home, 'video.mp4')) });
    expect(started.details.args).toContain(`file:${PINNED_INPUT_CHILD_PATH}`);
    const finished = await waitFor(() => audits.find((a) => a.action === 'job.finished'), { message: 'no job.finished record' });
    expect(finished.details).toMatchObject({ status: 'succeeded' });
  });
});
