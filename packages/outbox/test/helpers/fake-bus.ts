import type { Bus, PublishAck, PublishOptions } from '@ffgate/bus';

export interface PublishCall {
  subject: string;
  event: { id: string; resourceId: string; version: number };
  options: PublishOptions;
}

/**
 * A strict fake Bus for unit tests: stores each msgId once (like JetStream's de-duplication),
 * refuses publishes without a msgId equal to the event id, and fails publishes on demand.
 * Anything the relay must not call (consume, ensureStream, streamInfo, consumerPending) throws.
 */
export class FakeBus implements Bus {
  readonly kind = 'memory' as const;
  /** every publish call, including failed and duplicate ones */
  readonly calls: PublishCall[] = [];
  /** what the "stream" holds: one entry per msgId, in arrival order */
  readonly stored: PublishCall[] = [];
  readonly #seen = new Set<string>();
  /** decide per call whether it fails (call index is 0-based over all calls) */
  failWhen: (call: PublishCall, index: number) => boolean = () => false;
  /** when set, the call that fails still stores the message (the ack was lost, not the publish) */
  storeFailed = false;

  async ensureStream(): Promise<void> {
    throw new Error('FakeBus: the relay must not create streams');
  }

  async streamInfo(): Promise<never> {
    throw new Error('FakeBus: the relay must not read stream state');
  }

  async consumerPending(): Promise<never> {
    throw new Error('FakeBus: the relay must not read consumer state');
  }

  async consume(): Promise<never> {
    throw new Error('FakeBus: the relay must not consume');
  }

  isConnected(): boolean {
    return true;
  }

  async close(): Promise<void> {}

  async publish(subject: string, event: unknown, options: PublishOptions = {}): Promise<PublishAck> {
    const call = { subject, event: event as PublishCall['event'], options };
    const index = this.calls.push(call) - 1;
    if (!options.msgId || options.msgId !== call.event.id) throw new Error(`FakeBus: msgId ${options.msgId} is not the event id`);
    const fail = this.failWhen(call, index);
    if (fail && !this.storeFailed) throw new Error(`FakeBus: injected failure on call ${index}`);
    const duplicate = this.#seen.has(options.msgId);
    if (!duplicate) {
      this.#seen.add(options.msgId);
      this.stored.push(call);
    }
    // resolve asynchronously, like a network round trip
    await new Promise((resolve) => setImmediate(resolve));
    if (fail) throw new Error(`FakeBus: injected ack loss on call ${index}`);
    return { stream: 'FAKE', seq: this.stored.length, duplicate };
  }
}
