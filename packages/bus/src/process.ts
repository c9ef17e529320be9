import type { BusLogger } from './logger.ts';
import { runHandler } from './outcome.ts';
import type { Delivery, Handler, Headers, Outcome } from './port.ts';
import { withConsumerSpan } from './trace.ts';
import type { EventValidator } from './validate.ts';

/** One message as an adapter received it, before decoding. */
export interface RawDelivery {
  subject: string;
  data: string | Uint8Array;
  headers: Headers;
  seq: number;
  deliveryCount: number;
  working(): void;
}

export interface ProcessContext<T> {
  handler: Handler<T>;
  validate: EventValidator;
  logger: BusLogger;
  /** `messaging.system` on spans */
  system: string;
  /** stream and consumer names, for logs and spans */
  stream: string;
  consumer: string;
}

const decoder = new TextDecoder();

/**
 * The consume pipeline shared by every adapter: decode JSON, validate against the contract (a
 * violation is logged and terminated; the handler never sees it), then run the handler inside a
 * CONSUMER span carrying the message's trace context. Always resolves to an outcome.
 */
export async function processDelivery<T>(raw: RawDelivery, ctx: ProcessContext<T>): Promise<Outcome> {
  const where = { stream: ctx.stream, consumer: ctx.consumer, subject: raw.subject, seq: raw.seq };
  let event: T;
  try {
    const text = typeof raw.data === 'string' ? raw.data : decoder.decode(raw.data);
    event = ctx.validate(raw.subject, JSON.parse(text)) as T;
  } catch (err) {
    ctx.logger.error({ ...where, err }, 'message violates its contract; terminating it');
    return { kind: 'term', reason: `contract violation: ${(err as Error).message}` };
  }
  const delivery: Delivery<T> = {
    subject: raw.subject,
    event,
    headers: raw.headers,
    seq: raw.seq,
    deliveryCount: raw.deliveryCount,
    working: raw.working,
  };
  const spanAttributes = { 'messaging.consumer.group.name': ctx.consumer, 'messaging.message.delivery_count': raw.deliveryCount };
  const outcome = await withConsumerSpan(raw.subject, ctx.system, `${ctx.stream}/${ctx.consumer}`, raw.headers, spanAttributes, () =>
    runHandler(ctx.handler, delivery, ctx.logger),
  );
  if (outcome.kind === 'term') ctx.logger.warn({ ...where, reason: outcome.reason }, 'handler terminated message');
  return outcome;
}

/**
 * Broadcast subscriptions have no broker-side acknowledgement (NATS ordered consumers are
 * ack-none), so `retry` is honoured locally: the message keeps its slot and the handler runs again
 * after the delay, which also keeps per-subject order. `term` drops the message. Stops early when
 * `signal` aborts.
 */
export async function processWithLocalRetry(
  run: (deliveryCount: number) => Promise<Outcome>,
  opts: { maxDeliver?: number; signal: AbortSignal; logger: BusLogger; where: object },
): Promise<void> {
  for (let n = 1; !opts.signal.aborted; n++) {
    const outcome = await run(n);
    if (outcome.kind !== 'retry') return;
    if (opts.maxDeliver && opts.maxDeliver > 0 && n >= opts.maxDeliver) {
      opts.logger.warn({ ...opts.where, deliveries: n }, 'broadcast message reached maxDeliver; dropping it');
      return;
    }
    await abortableSleep(outcome.delayMs, opts.signal);
  }
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
