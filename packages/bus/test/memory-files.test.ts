import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { waitFor } from '@ffgate/testing';
import { ack, createMemoryBus, retry, type MemoryBus, type MemoryBusOptions, type StreamSpec } from '../src/index.ts';
import { capturingLogger, recorder, stream, userEvent, type TestEvent } from './fixtures.ts';

const jobs: StreamSpec = { name: 'JOBS', subjects: ['jobs.>'], retention: 'workqueue' };
const anyEvent = (_subject: string, event: unknown) => event;
const job = (n: number) => ({ subject: `jobs.queued.${n}`, event: { id: `job-${n}`, n } });

// The files behind a persisted in-process bus: work queues, damaged logs, ageing and compaction.
describe('memory bus persistence files', () => {
  let dir: string;
  let open: MemoryBus[];
  let logger: ReturnType<typeof capturingLogger>;

  const start = async (spec: StreamSpec, extra: Partial<MemoryBusOptions> = {}): Promise<MemoryBus> => {
    const bus = createMemoryBus({ logger, persistDir: dir, ...extra });
    open.push(bus);
    await bus.ensureStream(spec);
    return bus;
  };
  const lines = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8').split('\n').filter(Boolean);
  const replay = async (bus: MemoryBus, count: number) => {
    const rec = recorder();
    await bus.consume({ stream: stream.name, deliver: 'all' }, rec.handler);
    await waitFor(() => rec.deliveries.length >= count);
    return rec;
  };
  const publishAll = async (bus: MemoryBus, events: TestEvent[]) => {
    for (const e of events) await bus.publish(e.subject, e.event, { msgId: e.event.id });
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffgate-bus-files-'));
    open = [];
    logger = capturingLogger();
  });
  afterEach(async () => {
    await Promise.all(open.map((b) => b.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('queued jobs still run after a restart; acked work-queue messages do not come back', async () => {
    let bus = await start(jobs, { validate: anyEvent });
    for (const n of [1, 2, 3, 4]) await bus.publish(job(n).subject, job(n).event, { msgId: job(n).event.id });
    const first = recorder((d) => (d.seq === 2 ? retry(60_000) : ack));
    const sub = await bus.consume({ stream: 'JOBS', durable: 'runner', deliver: 'all' }, first.handler);
    await waitFor(() => first.deliveries.length === 4);
    await sub.stop();
    await bus.publish(job(5).subject, job(5).event, { msgId: job(5).event.id }); // queued while nobody runs

    await bus.close();
    bus = await start(jobs, { validate: anyEvent });
    const everything = recorder();
    await bus.consume({ stream: 'JOBS', deliver: 'all' }, everything.handler);
    const runner = recorder();
    await bus.consume({ stream: 'JOBS', durable: 'runner', deliver: 'all' }, runner.handler);
    await waitFor(() => everything.deliveries.length >= 2 && runner.deliveries.length >= 2);
    expect(everything.deliveries.map((d) => d.seq)).toEqual([2, 5]);
    expect(runner.deliveries.map((d) => [d.seq, d.deliveryCount])).toEqual([
      [2, 2],
      [5, 1],
    ]);
  });

  test('a torn last line is dropped with a warning and the next append is not glued to it', async () => {
    let bus = await start(stream);
    const events = [userEvent('t', 1), userEvent('t', 2)];
    await publishAll(bus, events);
    const sub = await bus.consume({ stream: stream.name, durable: 'd', deliver: 'all' }, recorder().handler);
    await sub.stop();
    await bus.close();
    fs.appendFileSync(path.join(dir, 'IDENTITY.log'), '{"seq":3,"subject":"identity.us');
    fs.appendFileSync(path.join(dir, 'IDENTITY.consumers.log'), '{"c":"d","s"');

    bus = await start(stream);
    expect(logger.entries.filter((l) => l.level === 'warn' && l.msg.includes('torn last line'))).toHaveLength(2);
    const late = userEvent('t', 3);
    expect((await bus.publish(late.subject, late.event, { msgId: late.event.id })).seq).toBe(3);
    await bus.close();

    bus = await start(stream);
    const rec = await replay(bus, 3);
    expect(rec.ids()).toEqual([...events, late].map((e) => e.event.id));
    expect(logger.entries.filter((l) => l.level === 'warn' && l.msg.includes('torn last line'))).toHaveLength(2);
  });

  test('a corrupt line inside the log is skipped, the rest loads', async () => {
    let bus = await start(stream);
    const events = [userEvent('c', 1), userEvent('c', 2), userEvent('c', 3)];
    await publishAll(bus, events);
    await bus.close();
    const file = path.join(dir, 'IDENTITY.log');
    const [a, , c] = lines('IDENTITY.log');
    fs.writeFileSync(file, [a, '\u0000\u0000garbage', c, ''].join('\n'));

    bus = await start(stream);
    const rec = await replay(bus, 2);
    expect(rec.ids()).toEqual([events[0].event.id, events[2].event.id]);
    expect(logger.entries.some((l) => l.level === 'warn' && l.msg.includes('corrupt line'))).toBe(true);
  });

  test('messages older than maxAge are dropped on load and the file is rewritten without them', async () => {
    let now = 5_000_000;
    const clock = () => now;
    const spec = { ...stream, maxAgeMs: 10_000 };
    let bus = await start(spec, { clock });
    const old = [userEvent('old', 1), userEvent('old', 2), userEvent('old', 3)];
    await publishAll(bus, old);
    now += 5_000;
    const young = userEvent('young');
    await publishAll(bus, [young]);
    await bus.close();

    now += 6_000;
    bus = await start(spec, { clock });
    expect((await replay(bus, 1)).ids()).toEqual([young.event.id]);
    const [meta, ...messages] = lines('IDENTITY.log').map((l) => JSON.parse(l) as { meta?: unknown; msgId?: string });
    expect(meta.meta).toBeDefined();
    expect(messages.map((m) => m.msgId)).toEqual([young.event.id]);
  });

  test('messages age out while running too', async () => {
    let now = 9_000_000;
    const bus = await start({ ...stream, maxAgeMs: 10_000 }, { clock: () => now });
    const old = userEvent('stale');
    await publishAll(bus, [old]);
    now += 10_001;
    const fresh = userEvent('fresh');
    await publishAll(bus, [fresh]);
    expect((await replay(bus, 1)).ids()).toEqual([fresh.event.id]);
  });

  test('logs are compacted while running; sequence and de-duplication survive the compaction', async () => {
    let bus = await start(jobs, { validate: anyEvent });
    const count = 1500;
    for (let n = 1; n <= count; n++) await bus.publish(job(n).subject, job(n).event, { msgId: job(n).event.id });
    const rec = recorder();
    await bus.consume({ stream: 'JOBS', durable: 'runner', deliver: 'all' }, rec.handler);
    await waitFor(() => rec.deliveries.length === count);
    await bus.close();
    expect(lines('JOBS.log').length).toBeLessThan(count);
    expect(lines('JOBS.log')[0]).toContain('"meta"');
    expect(lines('JOBS.consumers.log').length).toBeLessThan(count);

    bus = await start(jobs, { validate: anyEvent });
    const again = job(1);
    expect(await bus.publish(again.subject, again.event, { msgId: again.event.id })).toEqual({ stream: 'JOBS', seq: 1, duplicate: true });
    const next = job(count + 1);
    expect(await bus.publish(next.subject, next.event, { msgId: next.event.id })).toEqual({ stream: 'JOBS', seq: count + 1, duplicate: false });
    const runner = recorder();
    await bus.consume({ stream: 'JOBS', durable: 'runner', deliver: 'all' }, runner.handler);
    await waitFor(() => runner.deliveries.length >= 1);
    expect(runner.deliveries.map((d) => d.seq)).toEqual([count + 1]);
  }, 30_000);

  test('a LOCK left by a dead process is taken over; one held by a live process is refused', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']);
    expect(dead.status).toBe(0);
    const lock = (pid: number) => fs.writeFileSync(path.join(dir, 'LOCK'), JSON.stringify({ pid, hostname: os.hostname() }));
    lock(dead.pid!);
    const bus = await start(stream);
    await bus.close();
    lock(process.ppid);
    expect(() => createMemoryBus({ logger, persistDir: dir })).toThrow(expect.objectContaining({ code: 'FFGATE_BUS_CONNECT_FAILED' }));
  });

  test('a stream name that cannot be a file name is refused', async () => {
    const bus = await start(stream);
    await expect(bus.ensureStream({ name: '../ESCAPE', subjects: ['escape.>'] })).rejects.toMatchObject({ code: 'FFGATE_BUS_STREAM_FAILED' });
    expect(fs.readdirSync(path.dirname(dir)).some((f) => f.startsWith('ESCAPE'))).toBe(false);
  });
});
