import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, errors as natsErrors, type NatsConnection } from '@nats-io/transport-node';
import { BusError } from '../errors.ts';
import { consoleLogger, type BusLogger } from '../logger.ts';
import type { Bus, ConsumeOptions, Handler, PublishAck, Subscription } from '../port.ts';
import { withProducerSpan } from '../trace.ts';
import { defaultValidator, type EventValidator } from '../validate.ts';
import { ensureNatsStream, natsConsumerPending, natsStreamState } from './streams.ts';
import { subscribeBroadcast } from './broadcast.ts';
import { subscribeDurable } from './durable.ts';
import { serverHonoursTermReason, toMsgHdrs } from './wire.ts';

export interface NatsBusOptions {
  /** e.g. `nats://127.0.0.1:4222` (comma-separated for several servers) */
  url: string;
  /** connection name shown by the server (`nats server report connections`) */
  name: string;
  logger?: BusLogger;
  /** contract check on publish and consume (default: @ffgate/contracts `validateEvent`) */
  validate?: EventValidator;
  /** how long a publish waits for JetStream's ack before rejecting (default 2 s) */
  publishTimeoutMs?: number;
  /** pause between reconnect attempts (default 1 s) */
  reconnectTimeWaitMs?: number;
}

export interface NatsBus extends Bus {
  readonly kind: 'nats';
  /** the underlying connection, for health checks and tools (not for publishing events) */
  readonly connection: NatsConnection;
}

const SYSTEM = 'nats';

/**
 * Connect the NATS JetStream Bus adapter. Waits until the first connection succeeds (retrying
 * forever), then reconnects forever after losing the server; `isConnected()` tells the current
 * state. Publishing while disconnected rejects at once (the client would otherwise buffer it)
 * and a publish whose ack does not come within `publishTimeoutMs` rejects, so callers such as
 * the outbox relay can back off and retry.
 */
export async function connectNatsBus(opts: NatsBusOptions): Promise<NatsBus> {
  const logger = opts.logger ?? consoleLogger;
  const validate = opts.validate ?? defaultValidator;
  const publishTimeoutMs = opts.publishTimeoutMs ?? 2_000;
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: opts.url.split(',').map((s) => s.trim()),
      name: opts.name,
      maxReconnectAttempts: -1,
      waitOnFirstConnect: true,
      reconnectTimeWait: opts.reconnectTimeWaitMs ?? 1_000,
      reconnectJitter: 200,
      pingInterval: 20_000,
      maxPingOut: 3,
    });
  } catch (err) {
    throw new BusError('FFGATE_BUS_CONNECT_FAILED', `cannot connect to NATS at ${opts.url}: ${(err as Error).message}`, { cause: err });
  }
  const js = jetstream(nc, { timeout: 5_000 });
  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(nc, { timeout: 5_000 }); // checks that JetStream is enabled
  } catch (err) {
    await nc.close().catch(() => undefined);
    throw new BusError('FFGATE_BUS_CONNECT_FAILED', `JetStream is not available at ${opts.url}: ${(err as Error).message}`, { cause: err });
  }
  let connected = true;
  let closing: Promise<void> | undefined;
  const subscriptions = new Set<Subscription>();

  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') {
        connected = false;
        logger.warn({ server: s.server }, 'disconnected from NATS; reconnecting');
      } else if (s.type === 'reconnect') {
        connected = true;
        logger.info({ server: s.server }, 'reconnected to NATS');
      } else if (s.type === 'close') {
        connected = false;
      } else if (s.type === 'error') {
        logger.error({ err: s.error }, 'NATS connection error');
      }
    }
  })().catch(() => undefined);
  void nc.closed().then(() => {
    connected = false;
  });

  const assertOpen = () => {
    if (closing || nc.isClosed()) throw new BusError('FFGATE_BUS_CLOSED', 'the bus is closed');
  };

  const bus: NatsBus = {
    kind: 'nats',
    connection: nc,

    async ensureStream(spec) {
      assertOpen();
      await ensureNatsStream(jsm, spec);
    },

    async publish(subject, event, options = {}): Promise<PublishAck> {
      assertOpen();
      validate(subject, event);
      if (!connected) throw new BusError('FFGATE_BUS_PUBLISH_FAILED', `not connected to NATS; ${subject} was not published`);
      const data = JSON.stringify(event);
      return withProducerSpan(subject, SYSTEM, options.headers ?? {}, async (wire) => {
        try {
          const hdrs = toMsgHdrs(wire);
          const pa = await js.publish(subject, data, {
            timeout: publishTimeoutMs,
            ...(options.msgId !== undefined ? { msgID: options.msgId } : {}),
            ...(hdrs ? { headers: hdrs } : {}),
          });
          return { stream: pa.stream, seq: pa.seq, duplicate: pa.duplicate };
        } catch (err) {
          // no responders: nothing (no stream, or no JetStream) listens on this subject
          if ((err as Error).name === 'JetStreamNotEnabled') {
            throw new BusError('FFGATE_BUS_NO_STREAM', `no JetStream stream answered for ${subject}`, { cause: err });
          }
          const why = err instanceof natsErrors.TimeoutError ? `no ack within ${publishTimeoutMs} ms` : (err as Error).message;
          throw new BusError('FFGATE_BUS_PUBLISH_FAILED', `publishing ${subject} failed: ${why}`, { cause: err });
        }
      });
    },

    async consume<T>(options: ConsumeOptions, handler: Handler<T>): Promise<Subscription> {
      assertOpen();
      const ctx = { handler, validate, logger, system: SYSTEM, stream: options.stream, consumer: options.durable ?? 'broadcast' };
      const durable = options.durable;
      const sub = durable
        ? await subscribeDurable<T>({
            js,
            jsm,
            logger,
            ctx,
            options: { ...options, durable },
            termWithReason: () => serverHonoursTermReason(nc.info?.version),
            flush: () => flushBriefly(nc, () => connected),
          })
        : await subscribeBroadcast<T>({ js, jsm, logger, ctx, options });
      const tracked: Subscription = {
        async stop() {
          await sub.stop();
          subscriptions.delete(tracked);
        },
      };
      subscriptions.add(tracked);
      return tracked;
    },

    async streamInfo(stream) {
      assertOpen();
      return natsStreamState(jsm, stream);
    },

    async consumerPending(stream, durable) {
      assertOpen();
      return natsConsumerPending(jsm, stream, durable);
    },

    isConnected: () => connected && !nc.isClosed(),

    close() {
      closing ??= (async () => {
        await Promise.allSettled([...subscriptions].map((s) => s.stop()));
        // draining needs the server; while it is away, close at once instead of hanging
        if (!nc.isClosed()) await (connected ? nc.drain() : nc.close()).catch(() => nc.close());
        connected = false;
      })();
      return closing;
    },
  };
  return bus;
}

/** Push pending acks to the server, but never wait on a connection that is down. */
async function flushBriefly(nc: NatsConnection, isUp: () => boolean): Promise<void> {
  if (!isUp() || nc.isClosed()) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, 2_000);
  });
  await Promise.race([nc.flush().catch(() => undefined), timeout]);
  clearTimeout(timer);
}
