import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { describeWithNats, startNatsServer, waitFor, type NatsServerHandle } from '@ffgate/testing';
import { BusError, connectBus, connectNatsBus, type NatsBus } from '../src/index.ts';
import { busContract } from './contract.ts';
import { capturingLogger, recorder, stream, userEvent } from './fixtures.ts';

describeWithNats('NATS JetStream bus', () => {
  let server: NatsServerHandle;
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  /** every test starts from an empty server: drop the streams (and their consumers) it left */
  const dropStreams = async () => {
    const nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    for await (const name of jsm.streams.names()) await jsm.streams.delete(name);
    await nc.close();
  };

  busContract('nats', async ({ logger }) => {
    const bus = await connectNatsBus({ url: server.url, name: 'bus-contract', logger });
    return {
      bus,
      publishRaw: async (subject, data) => void (await jetstream(bus.connection).publish(subject, data)),
      teardown: dropStreams,
    };
  });

  test('connectBus picks the NATS adapter when given a URL', async () => {
    const bus = await connectBus({ natsUrl: server.url, name: 'pick' });
    expect(bus.kind).toBe('nats');
    expect(bus.isConnected()).toBe(true);
    await bus.close();
    expect(bus.isConnected()).toBe(false);
    const memory = await connectBus({});
    expect(memory.kind).toBe('memory');
    await memory.close();
  });

  test('a server without JetStream is refused at connect', async () => {
    const plain = await startNatsServer({ jetstream: false });
    try {
      await expect(connectNatsBus({ url: plain.url, name: 'no-js', logger: capturingLogger() })).rejects.toMatchObject({
        code: 'FFGATE_BUS_CONNECT_FAILED',
      });
    } finally {
      await plain.cleanup();
    }
  });

  test('publishing to a subject no stream captures rejects with FFGATE_BUS_NO_STREAM', async () => {
    const bus = await connectNatsBus({ url: server.url, name: 'no-stream', logger: capturingLogger() });
    const e = userEvent('nowhere');
    await expect(bus.publish(e.subject, e.event)).rejects.toMatchObject({ code: 'FFGATE_BUS_NO_STREAM' });
    await bus.close();
  });

  test('ensureStream is idempotent and updates an existing stream', async () => {
    const bus = await connectNatsBus({ url: server.url, name: 'ensure', logger: capturingLogger() });
    await bus.ensureStream(stream);
    await bus.ensureStream(stream);
    await bus.ensureStream({ ...stream, maxAgeMs: 3_600_000, duplicateWindowMs: 60_000 });
    const jsm = await jetstreamManager(bus.connection);
    const info = await jsm.streams.info(stream.name);
    expect(info.config.max_age).toBe(3_600_000 * 1e6);
    expect(info.config.duplicate_window).toBe(60_000 * 1e6);
    await expect(bus.ensureStream({ ...stream, storage: 'memory' })).rejects.toMatchObject({ code: 'FFGATE_BUS_STREAM_FAILED' });
    await bus.close();
    await dropStreams();
  });
});

describeWithNats('NATS JetStream bus across server outages', () => {
  let server: NatsServerHandle;
  let bus: NatsBus;
  beforeAll(async () => {
    server = await startNatsServer();
    bus = await connectNatsBus({ url: server.url, name: 'outage', logger: capturingLogger(), reconnectTimeWaitMs: 200 });
    await bus.ensureStream(stream);
  });
  afterAll(async () => {
    await bus?.close();
    await server?.cleanup();
  });

  /** publish, retrying while the restarted server recovers its streams */
  const publishEventually = async (e: ReturnType<typeof userEvent>) =>
    waitFor(async () => (await bus.publish(e.subject, e.event, { msgId: e.event.id })).seq, { timeoutMs: 20_000 });

  test('publish rejects promptly while NATS is down and works again after it returns', async () => {
    await server.stop();
    await waitFor(() => !bus.isConnected());
    const e = userEvent('down');
    const err = await bus.publish(e.subject, e.event, { msgId: e.event.id }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(BusError);
    expect(err).toMatchObject({ code: 'FFGATE_BUS_PUBLISH_FAILED' });
    await server.restart();
    await waitFor(() => bus.isConnected(), { timeoutMs: 20_000 });
    expect(await publishEventually(e)).toBeGreaterThan(0);
  });

  test('durable and broadcast subscriptions survive a server restart', async () => {
    const durable = recorder();
    const broadcast = recorder();
    await bus.consume({ stream: stream.name, durable: 'survivor', deliver: 'new' }, durable.handler);
    await bus.consume({ stream: stream.name, deliver: 'new' }, broadcast.handler);
    const before = userEvent('restart', 1);
    await bus.publish(before.subject, before.event, { msgId: before.event.id });
    await waitFor(() => durable.has(before.event.id) && broadcast.has(before.event.id));

    await server.restart();
    await waitFor(() => bus.isConnected(), { timeoutMs: 20_000 });
    const after = userEvent('restart', 2);
    await publishEventually(after);
    await waitFor(() => durable.has(after.event.id) && broadcast.has(after.event.id), { timeoutMs: 30_000 });
    expect(durable.ids()).toEqual([before.event.id, after.event.id]);
    expect(broadcast.ids()).toEqual([before.event.id, after.event.id]);
  });

  test('close does not hang while the server is down', async () => {
    const other = await connectNatsBus({ url: server.url, name: 'closing-in-outage', logger: capturingLogger() });
    const rec = recorder();
    await other.consume({ stream: stream.name, durable: 'outage-close', deliver: 'new' }, rec.handler);
    await other.consume({ stream: stream.name, deliver: 'new' }, rec.handler);
    await server.stop();
    await waitFor(() => !other.isConnected());
    await other.close();
    expect(other.isConnected()).toBe(false);
    await server.restart();
    await waitFor(() => bus.isConnected(), { timeoutMs: 20_000 });
  });

  test('subscriptions also survive a crash (SIGKILL) of the server', async () => {
    const durable = recorder();
    await bus.consume({ stream: stream.name, durable: 'crash-survivor', deliver: 'new' }, durable.handler);
    await server.kill();
    await server.restart();
    await waitFor(() => bus.isConnected(), { timeoutMs: 20_000 });
    const e = userEvent('crash');
    await publishEventually(e);
    await waitFor(() => durable.has(e.event.id), { timeoutMs: 30_000 });
    expect(durable.ids()).toEqual([e.event.id]);
  });
});
