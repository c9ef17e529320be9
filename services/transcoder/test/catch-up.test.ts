import { afterEach, describe, expect, test } from '@jest/globals';
import { createMemoryBus, silentLogger, type MemoryBus } from '@ffgate/bus';
import { JobsStream, Streams, TokensStream } from '@ffgate/contracts';
import { CatchUp } from '../src/catch-up.ts';
import type { TranscodeEngine } from '../src/engine.ts';
import { createTranscoder, type Transcoder } from '../src/service.ts';
import { streamInfoSource } from '../src/stream-info.ts';
import { FakeIdp } from './support/identity.ts';

describe('CatchUp', () => {
  test('an empty stream is caught up at once; otherwise only when the target sequence arrives', () => {
    expect(new CatchUp(0).caughtUp).toBe(true);
    const c = new CatchUp(3, 60_000);
    c.saw(2);
    expect(c.caughtUp).toBe(false);
    expect(c.progress).toEqual({ seen: 2, target: 3 });
    c.saw(3);
    expect(c.caughtUp).toBe(true);
  });

  test('an unknown target waits for the quiet period instead of counting as caught up', () => {
    expect(new CatchUp(undefined, 60_000).caughtUp).toBe(false);
    expect(new CatchUp(undefined, 0).caughtUp).toBe(true);
  });
});

/** the engine must never be reached: these tests dispatch no jobs */
const noEngine: TranscodeEngine = {
  prepare: () => Promise.reject(new Error('no jobs in this test')),
  spawn: () => Promise.reject(new Error('no jobs in this test')),
  commit: () => Promise.reject(new Error('no jobs in this test')),
  discard: () => Promise.resolve(),
};

describe('start-up replay on the in-process bus', () => {
  let bus: MemoryBus;
  let transcoder: Transcoder | undefined;

  afterEach(async () => {
    await transcoder?.stop();
    await bus.close();
  });

  const newTranscoder = () =>
    createTranscoder({
      config: { queues: ['default'], concurrency: 1, revocationStaleSeconds: 60, drainTimeoutSeconds: 1, jobMaxAttempts: 3 },
      bus,
      logger: silentLogger,
      replicaId: 'replica-catch-up',
      engine: noEngine,
    });

  test('stream facts come from the port: last sequence of IDENTITY, 0 for an empty TOKENS', async () => {
    bus = createMemoryBus({ logger: silentLogger });
    await bus.ensureStream({ ...Streams.identity, retention: 'limits' });
    await bus.ensureStream({ ...TokensStream, retention: 'limits' });
    const idp = new FakeIdp(bus);
    for (let i = 0; i < 3; i++) await idp.create(`u-${i}`);
    await bus.ensureStream(JobsStream);
    const streams = streamInfoSource(bus);
    expect(await streams.lastSeq(Streams.identity.name)).toBe(3);
    expect(await streams.lastSeq(TokensStream.name)).toBe(0);
    expect(await streams.pending('JOBS', 'transcoder-default')).toBeUndefined();
  });

  test('start() resolves only after everything stored in IDENTITY and TOKENS was replayed', async () => {
    bus = createMemoryBus({ logger: silentLogger });
    await bus.ensureStream({ ...Streams.identity, retention: 'limits' });
    await bus.ensureStream({ ...TokensStream, retention: 'limits' });
    const idp = new FakeIdp(bus);
    const users = 300;
    for (let i = 0; i < users; i++) await idp.create(`u-${i}`);
    await idp.deactivate('u-0');
    await idp.revokeUser('u-0');

    transcoder = newTranscoder();
    await transcoder.start();

    expect(transcoder.stats).toMatchObject({ users, caughtUp: true });
    expect(await transcoder.ready()).toMatchObject({ ok: true });
  });
});
