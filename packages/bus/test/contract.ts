import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { ContractError } from '@ffgate/contracts';
import { waitFor } from '@ffgate/testing';
import { ack, retry, term, type Bus, type BusLogger } from '../src/index.ts';
import { capturingLogger, groupEvent, recorder, stream, userEvent } from './fixtures.ts';
import { registerTestTracing } from './otel.ts';

export interface BusFixture {
  bus: Bus;
  /** put raw bytes on a subject, bypassing the contract check (a misbehaving producer) */
  publishRaw(subject: string, data: string): Promise<void>;
  /** release what the fixture holds (the bus itself is closed by the suite) */
  teardown?(): Promise<void>;
}

export type BusFactory = (opts: { logger: BusLogger }) => Promise<BusFixture>;

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** The Bus port's contract, run against every adapter. */
export function busContract(name: string, factory: BusFactory): void {
  describe(`Bus contract: ${name}`, () => {
    let fx: BusFixture;
    let bus: Bus;
    let logger: ReturnType<typeof capturingLogger>;

    beforeEach(async () => {
      logger = capturingLogger();
      fx = await factory({ logger });
      bus = fx.bus;
      await bus.ensureStream(stream);
    });

    afterEach(async () => {
      await bus.close();
      await fx.teardown?.();
    });

    test('publish and consume round trip with headers', async () => {
      const rec = recorder();
      await bus.consume({ stream: stream.name, durable: 'roundtrip', deliver: 'all' }, rec.handler);
      const e = userEvent('u1');
      const pub = await bus.publish(e.subject, e.event, { msgId: e.event.id, headers: { 'x-ffgate-test': 'yes' } });
      expect(pub).toEqual({ stream: stream.name, seq: expect.any(Number), duplicate: false });
      const d = await waitFor(() => rec.deliveries[0]);
      expect(d.subject).toBe(e.subject);
      expect(d.event).toEqual(e.event);
      expect(d.headers['x-ffgate-test']).toBe('yes');
      expect(d.seq).toBe(pub.seq);
      expect(d.deliveryCount).toBe(1);
      expect(bus.isConnected()).toBe(true);
    });

    test('msgId de-duplicates: second publish says duplicate and the message is delivered once', async () => {
      const e = userEvent('u-dup');
      const first = await bus.publish(e.subject, e.event, { msgId: e.event.id });
      const second = await bus.publish(e.subject, e.event, { msgId: e.event.id });
      expect(first.duplicate).toBe(false);
      expect(second).toEqual({ stream: stream.name, seq: first.seq, duplicate: true });
      const marker = userEvent('u-marker');
      await bus.publish(marker.subject, marker.event, { msgId: marker.event.id });
      const rec = recorder();
      await bus.consume({ stream: stream.name, durable: 'dedup', deliver: 'all' }, rec.handler);
      await waitFor(() => rec.has(marker.event.id));
      expect(rec.ids()).toEqual([e.event.id, marker.event.id]);
    });

    test('a durable consumer resumes where it left off; a new durable with deliver=all replays', async () => {
      const before = [userEvent('a', 1), userEvent('a', 2), userEvent('a', 3)];
      for (const e of before) await bus.publish(e.subject, e.event, { msgId: e.event.id });
      const first = recorder();
      const sub = await bus.consume({ stream: stream.name, durable: 'resume', deliver: 'all' }, first.handler);
      await waitFor(() => first.deliveries.length === 3);
      await sub.stop();
      await sub.stop(); // idempotent

      const after = [userEvent('a', 4), userEvent('a', 5)];
      for (const e of after) await bus.publish(e.subject, e.event, { msgId: e.event.id });
      const second = recorder();
      await bus.consume({ stream: stream.name, durable: 'resume', deliver: 'all' }, second.handler);
      await waitFor(() => second.deliveries.length >= 2);
      expect(second.ids()).toEqual(after.map((e) => e.event.id));
      expect(first.ids()).toEqual(before.map((e) => e.event.id));

      const replay = recorder();
      await bus.consume({ stream: stream.name, durable: 'replay', deliver: 'all' }, replay.handler);
      await waitFor(() => replay.deliveries.length >= 5);
      expect(replay.ids()).toEqual([...before, ...after].map((e) => e.event.id));
    });

    test('two subscribers on one durable share the work: each message once overall', async () => {
      const a = recorder();
      const b = recorder();
      await bus.consume({ stream: stream.name, durable: 'shared', deliver: 'all' }, a.handler);
      await bus.consume({ stream: stream.name, durable: 'shared', deliver: 'all' }, b.handler);
      const events = Array.from({ length: 20 }, (_, i) => userEvent(`s${i}`));
      for (const e of events) await bus.publish(e.subject, e.event, { msgId: e.event.id });
      await waitFor(() => a.deliveries.length + b.deliveries.length >= events.length);
      const all = [...a.ids(), ...b.ids()];
      expect(all).toHaveLength(events.length);
      expect(new Set(all)).toEqual(new Set(events.map((e) => e.event.id)));
    });

    test('broadcast subscribers each get every message, from where `deliver` says', async () => {
      const early = userEvent('b', 1);
      await bus.publish(early.subject, early.event, { msgId: early.event.id });
      const x = recorder();
      const y = recorder();
      const fresh = recorder();
      await bus.consume({ stream: stream.name, deliver: 'all' }, x.handler);
      await bus.consume({ stream: stream.name, deliver: 'all' }, y.handler);
      await bus.consume({ stream: stream.name, deliver: 'new' }, fresh.handler);
      const late = [userEvent('b', 2), userEvent('b', 3)];
      for (const e of late) await bus.publish(e.subject, e.event, { msgId: e.event.id });
      const everything = [early, ...late].map((e) => e.event.id);
      await waitFor(() => x.deliveries.length >= 3 && y.deliveries.length >= 3 && fresh.deliveries.length >= 2);
      expect(x.ids()).toEqual(everything);
      expect(y.ids()).toEqual(everything);
      expect(fresh.ids()).toEqual(late.map((e) => e.event.id));
    });

    test('retry redelivers the message with deliveryCount 2', async () => {
      const rec = recorder((d) => (d.deliveryCount === 1 ? retry(50) : ack));
      await bus.consume({ stream: stream.name, durable: 'retry', deliver: 'all' }, rec.handler);
      const e = userEvent('r');
      await bus.publish(e.subject, e.event, { msgId: e.event.id });
      await waitFor(() => rec.deliveries.length >= 2);
      expect(rec.deliveries.map((d) => [d.event.id, d.deliveryCount])).toEqual([
        [e.event.id, 1],
        [e.event.id, 2],
      ]);
    });

    test('a handler that throws is retried', async () => {
      const rec = recorder((d) => {
        if (d.deliveryCount === 1) throw new Error('boom');
        return ack;
      });
      await bus.consume({ stream: stream.name, durable: 'throws', deliver: 'all' }, rec.handler);
      const e = userEvent('t');
      await bus.publish(e.subject, e.event, { msgId: e.event.id });
      await waitFor(() => rec.deliveries.length >= 2, { timeoutMs: 15_000 });
      expect(rec.deliveries.map((d) => d.deliveryCount)).toEqual([1, 2]);
      expect(logger.entries.some((l) => l.level === 'error' && l.msg.includes('handler failed'))).toBe(true);
    });

    test('term stops delivery of that message', async () => {
      // The control message is retried once with a delay longer than the ack deadline; by the time
      // it comes back, a termed message left unacknowledged would have been redelivered as well.
      const doomed = userEvent('doomed');
      const control = userEvent('control');
      const rec = recorder((d) => {
        if (d.event.id === doomed.event.id) return term('hopeless');
        return d.deliveryCount === 1 ? retry(1500) : ack;
      });
      await bus.consume({ stream: stream.name, durable: 'term', deliver: 'all', ackWaitMs: 500 }, rec.handler);
      await bus.publish(doomed.subject, doomed.event, { msgId: doomed.event.id });
      await bus.publish(control.subject, control.event, { msgId: control.event.id });
      await waitFor(() => rec.deliveries.some((d) => d.event.id === control.event.id && d.deliveryCount === 2));
      expect(rec.deliveries.filter((d) => d.event.id === doomed.event.id)).toHaveLength(1);
    });

    test('maxDeliver caps the deliveries of a message that keeps asking for retry', async () => {
      // as in the term test, the control message's delayed redelivery marks the point by which a
      // third delivery of the doomed message would have happened
      const doomed = userEvent('forever-retried');
      const control = userEvent('control-max');
      const rec = recorder((d) => {
        if (d.event.id === doomed.event.id) return retry(0);
        return d.deliveryCount === 1 ? retry(1500) : ack;
      });
      await bus.consume({ stream: stream.name, durable: 'max-deliver', deliver: 'all', maxDeliver: 2 }, rec.handler);
      await bus.publish(doomed.subject, doomed.event, { msgId: doomed.event.id });
      await bus.publish(control.subject, control.event, { msgId: control.event.id });
      await waitFor(() => rec.deliveries.some((d) => d.event.id === control.event.id && d.deliveryCount === 2));
      expect(rec.deliveries.filter((d) => d.event.id === doomed.event.id).map((d) => d.deliveryCount)).toEqual([1, 2]);
    });

    test('filterSubject limits durable and broadcast subscriptions to matching subjects', async () => {
      const groups = recorder();
      const groupsBroadcast = recorder();
      await bus.consume({ stream: stream.name, durable: 'groups-only', deliver: 'all', filterSubject: 'identity.group.>' }, groups.handler);
      await bus.consume({ stream: stream.name, deliver: 'all', filterSubject: 'identity.group.*.*' }, groupsBroadcast.handler);
      const events = [userEvent('f1'), groupEvent('g1'), userEvent('f2'), groupEvent('g2')];
      for (const e of events) await bus.publish(e.subject, e.event, { msgId: e.event.id });
      const expected = [events[1], events[3]].map((e) => e.event.id);
      await waitFor(() => groups.deliveries.length >= 2 && groupsBroadcast.deliveries.length >= 2);
      expect(groups.ids()).toEqual(expected);
      expect(groupsBroadcast.ids()).toEqual(expected);
    });

    test('per-subject order is kept with concurrency 1', async () => {
      const rec = recorder();
      await bus.consume({ stream: stream.name, durable: 'order', deliver: 'all', concurrency: 1 }, rec.handler);
      const events = Array.from({ length: 25 }, (_, i) => userEvent('ordered', i + 1));
      for (const e of events) await bus.publish(e.subject, e.event, { msgId: e.event.id });
      await waitFor(() => rec.deliveries.length >= events.length);
      expect(rec.deliveries.map((d) => d.event.version)).toEqual(events.map((e) => e.event.version));
    });

    test('concurrency > 1 runs handlers in parallel', async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let running = 0;
      let peak = 0;
      const rec = recorder(async () => {
        running++;
        peak = Math.max(peak, running);
        await gate;
        running--;
        return ack;
      });
      await bus.consume({ stream: stream.name, durable: 'parallel', deliver: 'all', concurrency: 3 }, rec.handler);
      const events = [userEvent('p1'), userEvent('p2'), userEvent('p3')];
      for (const e of events) await bus.publish(e.subject, e.event, { msgId: e.event.id });
      await waitFor(() => running === 3);
      release();
      await waitFor(() => running === 0 && rec.deliveries.length === 3);
      expect(peak).toBe(3);
    });

    test('publishing an event that violates its contract rejects and sends nothing', async () => {
      const e = userEvent('bad');
      const invalid = { ...e.event, version: 'one' };
      await expect(bus.publish(e.subject, invalid, { msgId: e.event.id })).rejects.toBeInstanceOf(ContractError);
      await expect(bus.publish('identity.nonsense.x', e.event)).rejects.toMatchObject({ code: 'FFGATE_CONTRACT_INVALID' });
      const rec = recorder();
      await bus.consume({ stream: stream.name, durable: 'violation', deliver: 'all' }, rec.handler);
      await bus.publish(e.subject, e.event, { msgId: e.event.id });
      await waitFor(() => rec.deliveries.length >= 1);
      expect(rec.ids()).toEqual([e.event.id]);
      expect(rec.deliveries[0].seq).toBe(1);
    });

    test('an invalid message on consume is terminated and never reaches the handler', async () => {
      const rec = recorder();
      await bus.consume({ stream: stream.name, durable: 'invalid', deliver: 'all' }, rec.handler);
      const e = userEvent('victim');
      await fx.publishRaw(e.subject, '{not json');
      await fx.publishRaw(e.subject, JSON.stringify({ ...e.event, data: { id: 'x' } }));
      const marker = userEvent('after-invalid');
      await bus.publish(marker.subject, marker.event, { msgId: marker.event.id });
      await waitFor(() => rec.has(marker.event.id));
      expect(rec.ids()).toEqual([marker.event.id]);
      const violations = logger.entries.filter((l) => l.level === 'error' && l.msg.includes('violates its contract'));
      expect(violations).toHaveLength(2);
    });

    test('trace context travels in headers', async () => {
      const rec = recorder();
      await bus.consume({ stream: stream.name, durable: 'trace', deliver: 'all' }, rec.handler);
      const e = userEvent('traced');
      await bus.publish(e.subject, e.event, { msgId: e.event.id, headers: { traceparent: TRACEPARENT, tracestate: 'ffgate=1' } });
      const d = await waitFor(() => rec.deliveries[0]);
      expect(d.headers.traceparent).toBe(TRACEPARENT);
      expect(d.headers.tracestate).toBe('ffgate=1');
    });

    test('the handler runs in the trace context the message carries; publish injects the active one', async () => {
      registerTestTracing();
      const traceIds: (string | undefined)[] = [];
      const rec = recorder(() => {
        traceIds.push(trace.getSpanContext(context.active())?.traceId);
        return ack;
      });
      await bus.consume({ stream: stream.name, durable: 'trace-ctx', deliver: 'all' }, rec.handler);
      const supplied = userEvent('traced', 1);
      await bus.publish(supplied.subject, supplied.event, { msgId: supplied.event.id, headers: { traceparent: TRACEPARENT } });
      const active = userEvent('traced', 2);
      const parent = trace.setSpanContext(ROOT_CONTEXT, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 });
      await context.with(parent, () => bus.publish(active.subject, active.event, { msgId: active.event.id }));
      await waitFor(() => rec.deliveries.length >= 2);
      expect(rec.deliveries[0].headers.traceparent).toBe(TRACEPARENT);
      expect(rec.deliveries[1].headers.traceparent).toBe(`00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`);
      expect(traceIds).toEqual(['4bf92f3577b34da6a3ce929d0e0e4736', 'a'.repeat(32)]);
    });

    test('working() holds the ack deadline off during long work', async () => {
      // Work lasts three ack deadlines; without heartbeats the message would be redelivered and
      // (being first in line) arrive before the marker.
      // Generous margins (a heartbeat every sixth of the deadline): a loaded CI machine can stall
      // the event loop for hundreds of milliseconds.
      const ackWaitMs = 1500;
      const long = userEvent('long');
      const marker = userEvent('after-long');
      const rec = recorder(async (d) => {
        if (d.event.id === long.event.id) {
          for (let i = 0; i < 18; i++) {
            await new Promise((r) => setTimeout(r, ackWaitMs / 6));
            d.working();
          }
        }
        return ack;
      });
      await bus.consume({ stream: stream.name, durable: 'heartbeat', deliver: 'all', ackWaitMs, concurrency: 1 }, rec.handler);
      await bus.publish(long.subject, long.event, { msgId: long.event.id });
      await bus.publish(marker.subject, marker.event, { msgId: marker.event.id });
      await waitFor(() => rec.has(marker.event.id), { timeoutMs: 30_000, message: 'the marker after the long message' });
      expect(rec.ids()).toEqual([long.event.id, marker.event.id]);
    });

    test('streamInfo reports the last sequence and the stored count; duplicates do not count', async () => {
      expect(await bus.streamInfo(stream.name)).toEqual({ lastSeq: 0, messages: 0 });
      const events = [userEvent('si', 1), userEvent('si', 2), groupEvent('si-g')];
      for (const e of events) await bus.publish(e.subject, e.event, { msgId: e.event.id });
      await bus.publish(events[0].subject, events[0].event, { msgId: events[0].event.id });
      expect(await bus.streamInfo(stream.name)).toEqual({ lastSeq: 3, messages: 3 });
      await expect(bus.streamInfo('NOPE')).rejects.toMatchObject({ code: 'FFGATE_BUS_NO_STREAM' });
    });

    test('streamInfo keeps lastSeq when a work queue has removed every message', async () => {
      await bus.ensureStream({ name: 'WORK', subjects: ['token.>'], storage: 'memory', retention: 'workqueue' });
      const rec = recorder();
      await bus.consume({ stream: 'WORK', durable: 'workers', deliver: 'all' }, rec.handler);
      for (const id of ['w1', 'w2']) {
        const time = new Date().toISOString();
        await bus.publish(`token.revoked.${id}`, { id, type: 'token.revoked', time, userId: id, revokedBefore: time, reason: 'contract-test' });
      }
      await waitFor(() => rec.deliveries.length === 2);
      await waitFor(async () => (await bus.streamInfo('WORK')).messages === 0, { message: 'acked work-queue messages removed' });
      expect(await bus.streamInfo('WORK')).toEqual({ lastSeq: 2, messages: 0 });
    });

    test('consumerPending counts undelivered messages matching the durable filter', async () => {
      expect(await bus.consumerPending(stream.name, 'depth')).toBeUndefined();
      const users = [userEvent('p', 1), userEvent('p', 2), userEvent('p', 3)];
      for (const e of [users[0], groupEvent('p-g'), users[1], users[2]]) await bus.publish(e.subject, e.event, { msgId: e.event.id });
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      // concurrency 1 and a handler that holds the first message: nothing else is handed out meanwhile
      const rec = recorder(async () => {
        await gate;
        return ack;
      });
      await bus.consume({ stream: stream.name, durable: 'depth', deliver: 'all', filterSubject: 'identity.user.>', concurrency: 1 }, rec.handler);
      await waitFor(() => rec.deliveries.length === 1);
      // the one in flight is not pending; the group event does not match the filter
      expect(await bus.consumerPending(stream.name, 'depth')).toBe(2);
      release();
      await waitFor(() => rec.deliveries.length === 3);
      await waitFor(async () => (await bus.consumerPending(stream.name, 'depth')) === 0, { message: 'nothing left for the durable' });
      expect(await bus.consumerPending(stream.name, 'other')).toBeUndefined();
      await expect(bus.consumerPending('NOPE', 'depth')).rejects.toMatchObject({ code: 'FFGATE_BUS_NO_STREAM' });
    });

    test('misuse is refused with stable codes', async () => {
      const handler = recorder().handler;
      await expect(bus.consume({ stream: 'NOPE', durable: 'x', deliver: 'all' }, handler)).rejects.toMatchObject({ code: 'FFGATE_BUS_NO_STREAM' });
      await expect(bus.consume({ stream: 'NOPE', deliver: 'all' }, handler)).rejects.toMatchObject({ code: 'FFGATE_BUS_NO_STREAM' });
      await expect(bus.consume({ stream: 'NOPE', deliver: 'new' }, handler)).rejects.toMatchObject({ code: 'FFGATE_BUS_NO_STREAM' });
      await bus.consume({ stream: stream.name, durable: 'filtered', deliver: 'all', filterSubject: 'identity.user.>' }, handler);
      await expect(
        bus.consume({ stream: stream.name, durable: 'filtered', deliver: 'all', filterSubject: 'identity.group.>' }, handler),
      ).rejects.toMatchObject({ code: 'FFGATE_BUS_CONSUMER_FAILED' });
      await expect(bus.ensureStream({ name: 'OVERLAP', subjects: ['identity.user.*.*'] })).rejects.toMatchObject({ code: 'FFGATE_BUS_STREAM_FAILED' });
    });

    test('close is idempotent and later publishes reject', async () => {
      await bus.close();
      await bus.close();
      const e = userEvent('closed');
      await expect(bus.publish(e.subject, e.event)).rejects.toMatchObject({ code: 'FFGATE_BUS_CLOSED' });
      await expect(bus.streamInfo(stream.name)).rejects.toMatchObject({ code: 'FFGATE_BUS_CLOSED' });
      await expect(bus.consumerPending(stream.name, 'x')).rejects.toMatchObject({ code: 'FFGATE_BUS_CLOSED' });
    });
  });
}
