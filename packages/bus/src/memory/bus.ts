import { BusError } from '../errors.ts';
import { consoleLogger, type BusLogger } from '../logger.ts';
import type { Bus, ConsumeOptions, Handler, Headers, PublishAck, PublishOptions, StreamSpec, Subscription } from '../port.ts';
import { processDelivery, processWithLocalRetry, type ProcessContext } from '../process.ts';
import { withProducerSpan } from '../trace.ts';
import { defaultValidator, type EventValidator } from '../validate.ts';
import { MemoryConsumer } from './consumer.ts';
import { MemorySubscriber, type Dispatch } from './subscriber.ts';
import { PersistedStreams } from './persisted-streams.ts';
import { StreamRegistry, type Clock } from './stream.ts';

export interface MemoryBusOptions {
  /** contract check on publish and consume (default: @ffgate/contracts `validateEvent`) */
  validate?: EventValidator;
  logger?: BusLogger;
  /**
   * Keep streams and durable consumers in this directory so they survive a restart of the
   * process (see README "Persistence of the in-process bus"). One process per directory.
   * Without it everything lives in memory only.
   */
  persistDir?: string;
  /** message timestamps, ages and de-duplication windows (default Date.now); for tests */
  clock?: Clock;
}

export interface MemoryBus extends Bus {
  readonly kind: 'memory';
  /**
   * Store raw bytes on a subject WITHOUT contract validation, as a misbehaving producer could.
   * An escape hatch for tests of the consume-side validation; never use it in services.
   */
  injectRaw(subject: string, data: string, options?: PublishOptions): Promise<PublishAck>;
}

const DEFAULT_ACK_WAIT_MS = 30_000;
const SYSTEM = 'ffgate-memory';

/**
 * In-process Bus adapter for the embedded single-process shape and for tests. It follows the
 * JetStream semantics of the port (streams, msgId de-duplication, durable and broadcast
 * consumers, ack deadlines, retry/term, maxDeliver) inside this object: nothing is shared between
 * two instances or two processes. Without `persistDir` **state is lost when the process exits**;
 * with it, streams and durable consumers are kept in append-only files and reloaded (synchronously,
 * here) on the next start. Use the NATS adapter whenever more than one process is involved.
 */
export function createMemoryBus(opts: MemoryBusOptions = {}): MemoryBus {
  const validate = opts.validate ?? defaultValidator;
  const logger = opts.logger ?? consoleLogger;
  const clock = opts.clock ?? Date.now;
  const streams = new StreamRegistry(clock);
  const durables = new Map<string, MemoryConsumer>();
  const consumers = new Set<MemoryConsumer>();
  const subscriptions = new Set<Subscription>();
  let closed = false;

  const disk = opts.persistDir !== undefined ? new PersistedStreams(opts.persistDir, streams, logger, clock) : undefined;

  if (process.env.NODE_ENV === 'production') {
    const fate = disk ? 'kept on disk for this one process only' : 'lost when this process exits';
    logger.warn({}, `in-process bus in production: events are ${fate}`);
  }

  const assertOpen = () => {
    if (closed) throw new BusError('FFGATE_BUS_CLOSED', 'the bus is closed');
  };

  const store = (subject: string, data: string, options: PublishOptions, headers: Headers): PublishAck => {
    const stream = streams.forSubject(subject);
    const wire = options.msgId !== undefined ? { ...headers, 'Nats-Msg-Id': options.msgId } : { ...headers };
    let ack: PublishAck;
    try {
      ack = stream.append(subject, data, wire, options.msgId);
    } catch (err) {
      throw new BusError('FFGATE_BUS_PUBLISH_FAILED', `could not store a message on ${subject}`, { cause: err });
    }
    if (!ack.duplicate) for (const c of consumers) if (c.stream === stream) c.notify();
    return ack;
  };

  const bus: MemoryBus = {
    kind: 'memory',

    async ensureStream(spec: StreamSpec) {
      assertOpen();
      if (disk) disk.ensure(streams, spec);
      else streams.ensure(spec);
    },

    async publish(subject, event, options = {}) {
      assertOpen();
      validate(subject, event);
      const data = JSON.stringify(event);
      return withProducerSpan(subject, SYSTEM, options.headers ?? {}, async (headers) => store(subject, data, options, headers));
    },

    async injectRaw(subject, data, options = {}) {
      assertOpen();
      return store(subject, data, options, options.headers ?? {});
    },

    async consume<T>(options: ConsumeOptions, handler: Handler<T>): Promise<Subscription> {
      assertOpen();
      const stream = streams.get(options.stream);
      const consumerName = options.durable ?? `broadcast-${Math.random().toString(36).slice(2, 10)}`;
      const ctx: ProcessContext<T> = { handler, validate, logger, system: SYSTEM, stream: stream.name, consumer: consumerName };
      const raw = (msg: Parameters<Dispatch>[0], deliveryCount: number, working: () => void) => ({
        subject: msg.subject,
        data: msg.data,
        headers: { ...msg.headers },
        seq: msg.seq,
        deliveryCount,
        working,
      });

      let consumer: MemoryConsumer;
      let dispatch: Dispatch;
      const abort = new AbortController();
      if (options.durable) {
        const key = `${stream.name}/${options.durable}`;
        const existing = durables.get(key);
        const stored = existing ? {} : (disk?.durable(stream.name, options.durable, options.filterSubject) ?? {});
        const known = existing ? existing.config : stored.restored;
        if (known && known.filter !== options.filterSubject) {
          throw new BusError('FFGATE_BUS_CONSUMER_FAILED', `durable ${options.durable} exists with filter ${known.filter ?? '(none)'}`);
        }
        consumer = existing ?? new MemoryConsumer(stream, { filter: options.filterSubject }, options.deliver, logger, stored);
        consumer.config = { filter: options.filterSubject, ackWaitMs: options.ackWaitMs ?? DEFAULT_ACK_WAIT_MS, maxDeliver: options.maxDeliver };
        durables.set(key, consumer);
        dispatch = (msg, n, working) => processDelivery(raw(msg, n, working), ctx);
      } else {
        consumer = new MemoryConsumer(stream, { filter: options.filterSubject }, options.deliver, logger);
        const where = { stream: stream.name, consumer: consumerName };
        dispatch = async (msg) => {
          await processWithLocalRetry((n) => processDelivery(raw(msg, n, () => {}), ctx), {
            maxDeliver: options.maxDeliver,
            signal: abort.signal,
            logger,
            where: { ...where, seq: msg.seq },
          });
          return { kind: 'ack' };
        };
      }
      consumers.add(consumer);
      const subscriber = new MemorySubscriber(options.concurrency ?? 1, dispatch);
      consumer.attach(subscriber);

      let stopping: Promise<void> | undefined;
      const subscription: Subscription = {
        stop() {
          stopping ??= (async () => {
            consumer.detach(subscriber);
            abort.abort();
            await Promise.allSettled([...subscriber.inflight]);
            if (!options.durable) {
              consumer.close();
              consumers.delete(consumer);
            }
            subscriptions.delete(subscription);
          })();
          return stopping;
        },
      };
      subscriptions.add(subscription);
      return subscription;
    },

    async streamInfo(name) {
      assertOpen();
      const stream = streams.get(name);
      return { lastSeq: stream.tailSeq, messages: stream.size };
    },

    async consumerPending(name, durable) {
      assertOpen();
      const stream = streams.get(name);
      const live = durables.get(`${stream.name}/${durable}`);
      if (live) return live.undelivered;
      // a durable from an earlier run that nobody consumes from in this one
      const stored = disk?.storedDurable(stream.name, durable);
      return stored && stream.countAfter(stored.cursor, stored.filter);
    },

    isConnected: () => !closed,

    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...subscriptions].map((s) => s.stop()));
      for (const c of consumers) c.close();
      consumers.clear();
      durables.clear();
      await disk?.close();
    },
  };
  return bus;
}
