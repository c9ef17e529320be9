import { DeliverPolicy, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type OrderedConsumerOptions } from '@nats-io/jetstream';
import { BusError } from '../errors.ts';
import type { BusLogger } from '../logger.ts';
import type { ConsumeOptions, Subscription } from '../port.ts';
import { abortableSleep, processDelivery, processWithLocalRetry, type ProcessContext } from '../process.ts';
import { rawDelivery, reopenDelayMs } from './delivery.ts';
import { Slots } from './slots.ts';

export interface BroadcastDeps<T> {
  js: JetStreamClient;
  jsm: JetStreamManager;
  logger: BusLogger;
  ctx: ProcessContext<T>;
  options: ConsumeOptions;
}

/**
 * A broadcast subscription: a JetStream ordered consumer (no acks; the client recreates it from
 * its last position after reconnects and server restarts). `retry` is honoured locally (see
 * processWithLocalRetry); if consuming ends anyway we reopen after the last message seen.
 */
export async function subscribeBroadcast<T>(deps: BroadcastDeps<T>): Promise<Subscription> {
  const { js, jsm, logger, ctx, options } = deps;
  const where = { stream: options.stream, consumer: ctx.consumer };
  const abort = new AbortController();
  const slots = new Slots(Math.max(1, options.concurrency ?? 1));
  const inflight = new Set<Promise<void>>();
  let lastSeq = 0;
  let current: ConsumerMessages | undefined;

  const open = async (first: boolean): Promise<ConsumerMessages> => {
    const oc: Partial<OrderedConsumerOptions> = {};
    if (options.filterSubject) oc.filter_subjects = options.filterSubject;
    if (!first) oc.opt_start_seq = lastSeq + 1;
    else {
      const info = await jsm.streams.info(options.stream).catch((err: unknown) => {
        throw new BusError('FFGATE_BUS_NO_STREAM', `stream ${options.stream} does not exist`, { cause: err });
      });
      // 'new' = after what the stream holds now, fixed at subscribe time rather than whenever the
      // server creates the consumer
      if (options.deliver === 'all') oc.deliver_policy = DeliverPolicy.All;
      else oc.opt_start_seq = info.state.last_seq + 1;
    }
    const consumer = await js.consumers.get(options.stream, oc);
    return consumer.consume();
  };

  current = await open(true);

  const loop = (async () => {
    for (let attempt = 0; !abort.signal.aborted; ) {
      try {
        current ??= await open(false);
        if (abort.signal.aborted) current.stop();
        for await (const m of current) {
          attempt = 0;
          lastSeq = m.seq;
          if (abort.signal.aborted) continue;
          await slots.acquire();
          const p: Promise<void> = processWithLocalRetry((n) => processDelivery(rawDelivery(m, n), ctx), {
            maxDeliver: options.maxDeliver,
            signal: abort.signal,
            logger,
            where: { ...where, seq: m.seq },
          })
            .catch((err: unknown) => logger.error({ ...where, seq: m.seq, err }, 'delivery failed'))
            .finally(() => {
              slots.release();
              inflight.delete(p);
            });
          inflight.add(p);
        }
        if (!abort.signal.aborted) logger.warn(where, 'broadcast consume ended; reopening');
      } catch (err) {
        if (!abort.signal.aborted) logger.warn({ ...where, err }, 'broadcast consume failed; reopening');
      }
      current = undefined;
      if (!abort.signal.aborted) await abortableSleep(reopenDelayMs(attempt++), abort.signal);
    }
  })();

  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        abort.abort();
        current?.stop();
        await loop;
        await Promise.allSettled([...inflight]);
      })();
      return stopping;
    },
  };
}
