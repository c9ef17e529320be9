import { AckPolicy, DeliverPolicy, type Consumer, type ConsumerMessages, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { BusLogger } from '../logger.ts';
import type { ConsumeOptions, Subscription } from '../port.ts';
import { abortableSleep, processDelivery, type ProcessContext } from '../process.ts';
import { rawDelivery, reopenDelayMs, settle } from './delivery.ts';
import { ensureDurableConsumer } from './streams.ts';
import { msToNanos } from './wire.ts';

export interface DurableDeps<T> {
  js: JetStreamClient;
  jsm: JetStreamManager;
  logger: BusLogger;
  ctx: ProcessContext<T>;
  options: ConsumeOptions & { durable: string };
  /** whether `term(reason)` is understood by the connected server (2.10+) */
  termWithReason(): boolean;
  /** push pending acks to the server */
  flush(): Promise<void>;
}

const DEFAULT_ACK_WAIT_MS = 30_000;
const PULL_EXPIRES_MS = 30_000;

/**
 * A durable pull consumer (explicit acks) shared by every process using its name.
 *
 * `concurrency` workers each pull ONE message and pull the next only when done. Prefetching more
 * (as `consume()` does) would let messages sit in this process's buffer while their ack deadline
 * runs: they get redelivered elsewhere and handled twice, and they are not available to an idle
 * subscriber meanwhile. Each pull is a fresh request, so losing the server (or the consumer) only
 * costs a retry with backoff; a vanished consumer is re-created.
 */
export async function subscribeDurable<T>(deps: DurableDeps<T>): Promise<Subscription> {
  const { js, jsm, logger, ctx, options } = deps;
  const where = { stream: options.stream, consumer: options.durable };
  const config = {
    durable_name: options.durable,
    ack_policy: AckPolicy.Explicit,
    ack_wait: msToNanos(options.ackWaitMs ?? DEFAULT_ACK_WAIT_MS),
    max_deliver: options.maxDeliver && options.maxDeliver > 0 ? options.maxDeliver : -1,
    deliver_policy: options.deliver === 'all' ? DeliverPolicy.All : DeliverPolicy.New,
    ...(options.filterSubject ? { filter_subject: options.filterSubject } : {}),
  };
  const abort = new AbortController();
  const pulls = new Set<ConsumerMessages>();

  let consumer: Promise<Consumer> | undefined;
  const getConsumer = (): Promise<Consumer> => {
    consumer ??= ensureDurableConsumer(jsm, options.stream, config).then(() => js.consumers.get(options.stream, options.durable));
    consumer.catch(() => (consumer = undefined));
    return consumer;
  };
  await getConsumer(); // a missing stream or conflicting durable rejects consume()

  const worker = async (): Promise<void> => {
    for (let attempt = 0; !abort.signal.aborted; ) {
      let pull: ConsumerMessages | undefined;
      try {
        pull = await (await getConsumer()).fetch({ max_messages: 1, expires: PULL_EXPIRES_MS });
        pulls.add(pull);
        if (abort.signal.aborted) pull.stop();
        for await (const m of pull) {
          attempt = 0;
          if (abort.signal.aborted) {
            m.nak(); // pulled while stopping: hand it straight back
            continue;
          }
          const outcome = await processDelivery(rawDelivery(m, m.info.deliveryCount), ctx);
          settle(m, outcome, { maxDeliver: options.maxDeliver, termWithReason: deps.termWithReason(), logger, where });
        }
      } catch (err) {
        if (abort.signal.aborted) break;
        consumer = undefined; // it may have vanished with the server's state: ensure it again
        logger.warn({ ...where, err }, 'pulling from the consumer failed; retrying');
        await abortableSleep(reopenDelayMs(attempt++), abort.signal);
      } finally {
        if (pull) pulls.delete(pull);
      }
    }
  };

  const workers = Array.from({ length: Math.max(1, options.concurrency ?? 1) }, () => worker());
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        abort.abort();
        for (const p of pulls) p.stop();
        await Promise.allSettled(workers);
        await deps.flush().catch(() => undefined);
      })();
      return stopping;
    },
  };
}
