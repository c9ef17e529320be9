import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { waitFor } from '@ffgate/testing';
import { ack, createMemoryBus, retry, type MemoryBus, type MemoryBusOptions, type StreamSpec } from '../src/index.ts';
import { capturingLogger, recorder, stream, userEvent, type TestEvent } from './fixtures.ts';

// Restarts of a persisted in-process bus: close (or crash) and reopen on the same directory.
describe('memory bus persistence across restarts', () => {
  let dir: string;
  let open: MemoryBus[];
  let logger: ReturnType<typeof capturingLogger>;

  const start = async (extra: Partial<MemoryBusOptions> = {}, spec: StreamSpec = stream): Promise<MemoryBus> => {
    const bus = createMemoryBus({ logger, persistDir: dir, ...extra });
    open.push(bus);
    await bus.ensureStream(spec);
    return bus;
  };
  const restart = async (bus: MemoryBus, extra: Partial<MemoryBusOptions> = {}, spec: StreamSpec = stream) => {
    await bus.close();
    return start(extra, spec);
  };
  const publishAll = async (bus: MemoryBus, events: TestEvent[]) => {
    const seqs: number[] = [];
    for (const e of events) seqs.push((await bus.publish(e.subject, e.event, { msgId: e.event.id })).seq);
    return seqs;
  };
  const idsOf = (events: TestEvent[]) => events.map((e) => e.event.id);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffgate-bus-restart-'));
    open = [];
    logger = capturingLogger();
  });
  afterEach(async () => {
    await Promise.all(open.map((b) => b.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('consumerPending and streamInfo answer for a stored durable nobody consumes from yet', async () => {
    let bus = await start();
    await publishAll(bus, [userEvent('p1'), userEvent('p2')]);
    const first = recorder();
    await bus.consume({ stream: stream.name, durable: 'depth', deliver: 'all', filterSubject: 'identity.user.>' }, first.handler);
    await waitFor(() => first.deliveries.length === 2);
    await waitFor(async () => (await bus.consumerPending(stream.name, 'depth')) === 0);

    bus = await restart(bus);
    await publishAll(bus, [userEvent('p3'), userEvent('p4'), userEvent('p5')]);
    expect(await bus.consumerPending(stream.name, 'depth')).toBe(3);
    expect(await bus.consumerPending(stream.name, 'never')).toBeUndefined();
    expect(await bus.streamInfo(stream.name)).toEqual({ lastSeq: 5, messages: 5 });
  });

  test('a message given up after maxDeliver stays given up after a restart', async () => {
    let bus = await start();
    const events = [userEvent('hopeless'), userEvent('fine')];
    await publishAll(bus, events);
    const first = recorder((d) => (d.seq === 1 ? retry(0) : ack));
    await bus.consume({ stream: stream.name, durable: 'capped', deliver: 'all', maxDeliver: 2 }, first.handler);
    await waitFor(() => first.deliveries.length === 3);

    bus = await restart(bus);
    const second = recorder();
    await bus.consume({ stream: stream.name, durable: 'capped', deliver: 'all', maxDeliver: 2 }, second.handler);
    const marker = userEvent('marker');
    await publishAll(bus, [marker]);
    await waitFor(() => second.deliveries.length >= 1);
    expect(second.ids()).toEqual([marker.event.id]);
  });

  test('a pending message that already had its last allowed delivery is not delivered again after a restart', async () => {
    let bus = await start();
    await publishAll(bus, [userEvent('last-try')]);
    const first = recorder(() => retry(60_000));
    await bus.consume({ stream: stream.name, durable: 'strict', deliver: 'all' }, first.handler);
    await waitFor(() => first.deliveries.length === 1);

    bus = await restart(bus);
    const second = recorder();
    await bus.consume({ stream: stream.name, durable: 'strict', deliver: 'all', maxDeliver: 1 }, second.handler);
    const marker = userEvent('marker');
    await publishAll(bus, [marker]);
    await waitFor(() => second.deliveries.length >= 1);
    expect(second.ids()).toEqual([marker.event.id]);
    expect(logger.entries.some((l) => l.level === 'warn' && l.msg.includes('maxDeliver'))).toBe(true);
  });

  test('a new deliver=all subscriber replays everything published before the restart; seqs continue', async () => {
    const bus = await start();
    const before = [userEvent('r', 1), userEvent('r', 2), userEvent('r', 3)];
    await publishAll(bus, before);
    await bus.close();
    // no ensureStream after the restart: streams are stored like JetStream's
    const after = userEvent('r', 4);
    const reopened = createMemoryBus({ logger, persistDir: dir });
    open.push(reopened);
    expect((await reopened.publish(after.subject, after.event)).seq).toBe(4);
    const broadcast = recorder();
    const durable = recorder();
    await reopened.consume({ stream: stream.name, deliver: 'all' }, broadcast.handler);
    await reopened.consume({ stream: stream.name, durable: 'fresh', deliver: 'all' }, durable.handler);
    await waitFor(() => broadcast.deliveries.length >= 4 && durable.deliveries.length >= 4);
    expect(broadcast.ids()).toEqual(idsOf([...before, after]));
    expect(durable.ids()).toEqual(idsOf([...before, after]));
  }, 20_000);

  test('a durable consumer that acked 3 of 5 resumes at the 4th', async () => {
    let bus = await start();
    const events = [1, 2, 3, 4, 5].map((v) => userEvent('resume', v));
    await publishAll(bus, events.slice(0, 3));
    const first = recorder();
    const sub = await bus.consume({ stream: stream.name, durable: 'worker', deliver: 'all' }, first.handler);
    await waitFor(() => first.deliveries.length === 3);
    await sub.stop();
    await publishAll(bus, events.slice(3));

    bus = await restart(bus);
    const second = recorder();
    await bus.consume({ stream: stream.name, durable: 'worker', deliver: 'all' }, second.handler);
    await waitFor(() => second.deliveries.length >= 2);
    expect(second.deliveries.map((d) => [d.seq, d.deliveryCount])).toEqual([
      [4, 1],
      [5, 1],
    ]);
  });

  test('unsettled deliveries come back after a restart with their delivery count; acks out of order stay acked', async () => {
    let bus = await start();
    const events = [1, 2, 3, 4, 5].map((v) => userEvent('pending', v));
    await publishAll(bus, events);
    // 1, 2 and 4 are acked; 3 and 5 wait for a retry far beyond the restart
    const first = recorder((d) => (d.seq === 3 || d.seq === 5 ? retry(60_000) : ack));
    await bus.consume({ stream: stream.name, durable: 'gappy', deliver: 'all', concurrency: 2 }, first.handler);
    await waitFor(() => first.deliveries.length === 5);

    bus = await restart(bus);
    const second = recorder();
    await bus.consume({ stream: stream.name, durable: 'gappy', deliver: 'all' }, second.handler);
    const late = userEvent('pending', 6);
    await publishAll(bus, [late]);
    await waitFor(() => second.deliveries.length >= 3);
    expect(second.deliveries.map((d) => [d.seq, d.deliveryCount])).toEqual([
      [3, 2],
      [5, 2],
      [6, 1],
    ]);
  });

  test('a handler in flight when the process is killed gets its message again, nothing published is lost', async () => {
    const child = spawn(process.execPath, [fileURLToPath(new URL('./memory-crash-child.ts', import.meta.url)), dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await waitFor(() => out.includes('in-flight 2') || child.exitCode !== null, { timeoutMs: 20_000 });
    expect({ out, err }).toEqual({ out: 'in-flight 2\n', err: expect.any(String) });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const bus = await start();
    const rec = recorder();
    await bus.consume({ stream: stream.name, durable: 'crashy', deliver: 'all' }, rec.handler);
    await waitFor(() => rec.deliveries.length >= 2);
    expect(rec.deliveries.map((d) => [d.seq, d.deliveryCount, d.event.version])).toEqual([
      [2, 2, 2],
      [3, 1, 3],
    ]);
  }, 30_000);

  test('msgId de-duplication holds across a restart within the window, and ends after it', async () => {
    let now = 1_000_000;
    const clock = () => now;
    const spec = { ...stream, duplicateWindowMs: 60_000 };
    let bus = await start({ clock }, spec);
    const e = userEvent('dup');
    const first = await bus.publish(e.subject, e.event, { msgId: e.event.id });

    now += 30_000;
    bus = await restart(bus, { clock }, spec);
    expect(await bus.publish(e.subject, e.event, { msgId: e.event.id })).toEqual({ stream: stream.name, seq: first.seq, duplicate: true });

    now += 31_000;
    bus = await restart(bus, { clock }, spec);
    expect(await bus.publish(e.subject, e.event, { msgId: e.event.id })).toEqual({ stream: stream.name, seq: first.seq + 1, duplicate: false });
  });

  test('a durable created with deliver=new keeps its start point across a restart', async () => {
    let bus = await start();
    await publishAll(bus, [userEvent('old')]);
    const sub = await bus.consume({ stream: stream.name, durable: 'tail', deliver: 'new' }, recorder().handler);
    await sub.stop();
    const missed = [userEvent('while-down', 1), userEvent('while-down', 2)];
    await publishAll(bus, missed);

    bus = await restart(bus);
    const rec = recorder();
    await bus.consume({ stream: stream.name, durable: 'tail', deliver: 'new' }, rec.handler);
    await waitFor(() => rec.deliveries.length >= 2);
    expect(rec.ids()).toEqual(idsOf(missed));
  });

  test('a stored durable keeps its filter: another filter is refused after a restart', async () => {
    let bus = await start();
    const sub = await bus.consume({ stream: stream.name, durable: 'users', deliver: 'all', filterSubject: 'identity.user.>' }, recorder().handler);
    await sub.stop();
    bus = await restart(bus);
    await expect(
      bus.consume({ stream: stream.name, durable: 'users', deliver: 'all', filterSubject: 'identity.group.>' }, recorder().handler),
    ).rejects.toMatchObject({ code: 'FFGATE_BUS_CONSUMER_FAILED' });
  });

  test('the directory belongs to one open bus at a time', async () => {
    const bus = await start();
    expect(() => createMemoryBus({ logger, persistDir: dir })).toThrow(expect.objectContaining({ code: 'FFGATE_BUS_CONNECT_FAILED' }));
    await bus.close();
    const next = await start();
    expect(next.isConnected()).toBe(true);
  });
});
