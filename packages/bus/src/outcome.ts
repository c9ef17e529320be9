import type { BusLogger } from './logger.ts';
import type { Delivery, Handler, Outcome } from './port.ts';

/** Delay before redelivering a message whose handler threw: 1 s, 2 s, 4 s … capped at 30 s. */
export function errorRetryDelayMs(deliveryCount: number): number {
  return Math.min(1000 * 2 ** Math.max(0, deliveryCount - 1), 30_000);
}

/**
 * Run a handler and always come back with an outcome: a handler that throws (or returns
 * something that is not an Outcome) is logged and retried with backoff rather than crashing the
 * subscription.
 */
export async function runHandler<T>(handler: Handler<T>, delivery: Delivery<T>, logger: BusLogger): Promise<Outcome> {
  try {
    const outcome = await handler(delivery);
    if (outcome && (outcome.kind === 'ack' || outcome.kind === 'retry' || outcome.kind === 'term')) return outcome;
    logger.error({ subject: delivery.subject, seq: delivery.seq }, 'handler returned no outcome; retrying');
  } catch (err) {
    logger.error({ subject: delivery.subject, seq: delivery.seq, deliveryCount: delivery.deliveryCount, err }, 'handler failed; retrying');
  }
  return { kind: 'retry', delayMs: errorRetryDelayMs(delivery.deliveryCount) };
}
