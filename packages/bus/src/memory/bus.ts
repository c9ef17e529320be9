import { BusError } from '../errors.ts';
import { consoleLogger, type BusLogger } from '../logger.ts';
import type { Bus, ConsumeOptions, Handler, Headers, PublishAck, PublishOptions, StreamSpec, Subscription } from '../port.ts';
import { processDelivery, processWithLocalRetry, type ProcessContext } from '../process.ts';
import { withProducerSpan } from '../trace.ts';
import { defaultValidator, type EventValidator } from '../validate.ts';
import { MemoryConsumer, MemorySubscriber, type Dispatch } from './consumer.ts';
import { StreamRegistry } from './stream.ts';

export interface MemoryBusOptions {
  /** contract check on publish and consume (default: @ffgate/contracts `validateEvent`) */
  validate?: EventValidator;
  logger?: BusLogger;
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
 * consumers, ack deadlines, retry/term, maxDeliver) but everything lives in this object:
 * **state is lost when the process exits**, and nothing is shared between two instances or two
 * processes. Use the NATS adapter whenever more than one process is involved or events must
 * survive a restart.
 */
export function createMemoryBus(opts: MemoryBusOptions = {}): MemoryBus {
  const validate = opts.validate ?? defaultValidator;
  const logger = opts.logger ?? consoleLogger;
  const streams = new StreamRegistry();
  const durables = new Map<string, MemoryConsumer>();
  const consumers = new Set<MemoryConsumer>();
  const subscriptions = new Set<Subscription>();
  let closed = false;

  if (process.env.NODE_ENV === 'production') {
    logger.warn({}, 'in-memory bus in production: events are lost when this process exits');
  }

  const assertOpen = () => {
    if (closed) throw new BusError('FFGATE_BUS_CLOSED', 'the bus is closed');
  };

  const store = (subject: string, data: string, options: PublishOptions, headers: Headers): PublishAck => {
    const stream = streams.forSubject(subject);
    const wire = options.msgId !== undefined ? { ...headers, 'Nats-Msg-Id': options.msgId } : { ...headers };
    const ack = stream.append(subject, data, wire, options.msgId);
    if (!ack.duplicate) for (const c of consumers) if (c.stream === stream) c.notify();
    return ack;
  };

  const bus: MemoryBus = {
    kind: 'memory',

    async ensureStream(spec: StreamSpec) {
      assertOpen();
      streams.ensure(spec);
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
        if (existing && existing.config.filter !== options.filterSubject) {
          throw new BusError('FFGATE_BUS_CONSUMER_FAILED', `durable ${options.durable} exists with filter ${existing.config.filter ?? '(none)'}`);
        }
        consumer = existing ?? new MemoryConsumer(stream, { filter: options.filterSubject }, options.deliver, logger);
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

    isConnected: () => !closed,

    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...subscriptions].map((s) => s.stop()));
      for (const c of consumers) c.close();
      consumers.clear();
      durables.clear();
    },
  };
  return bus;
}
