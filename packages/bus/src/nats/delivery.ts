import type { JsMsg } from '@nats-io/jetstream';
import type { BusLogger } from '../logger.ts';
import type { Outcome } from '../port.ts';
import type { RawDelivery } from '../process.ts';
import { fromMsgHdrs } from './wire.ts';

/** A JetStream message as the shared consume pipeline sees it. */
export function rawDelivery(m: JsMsg, deliveryCount: number): RawDelivery {
  return {
    subject: m.subject,
    data: m.data,
    headers: fromMsgHdrs(m.headers),
    seq: m.seq,
    deliveryCount,
    working: () => m.working(),
  };
}

/** Map a handler outcome onto JetStream: ack → ack, retry → nak(delay), term → term. */
export function settle(m: JsMsg, outcome: Outcome, opts: { maxDeliver?: number; termWithReason: boolean; logger: BusLogger; where: object }): void {
  if (outcome.kind === 'ack') return m.ack();
  if (outcome.kind === 'retry') {
    const max = opts.maxDeliver;
    if (max && max > 0 && m.info.deliveryCount >= max) {
      opts.logger.warn({ ...opts.where, seq: m.seq, deliveries: m.info.deliveryCount }, 'message reached maxDeliver; JetStream will not redeliver it');
    }
    return m.nak(outcome.delayMs);
  }
  // nats-server 2.9 ignores a `+TERM <reason>` ack entirely (and redelivers the message): send a
  // bare term there; processDelivery has already logged the reason.
  if (opts.termWithReason) m.term(outcome.reason.slice(0, 256));
  else m.term();
}

export const reopenDelayMs = (attempt: number): number => Math.min(250 * 2 ** attempt, 5_000);
