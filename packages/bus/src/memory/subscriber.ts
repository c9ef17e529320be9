import type { Outcome } from '../port.ts';
import type { StoredMessage } from './stream.ts';

/** Runs one delivery to completion; resolves to the outcome to apply. */
export type Dispatch = (msg: StoredMessage, deliveryCount: number, working: () => void) => Promise<Outcome>;

/** One process-side attachment to a consumer: at most `concurrency` deliveries at once. */
export class MemorySubscriber {
  readonly concurrency: number;
  readonly dispatch: Dispatch;
  active = 0;
  readonly inflight = new Set<Promise<void>>();
  constructor(concurrency: number, dispatch: Dispatch) {
    this.concurrency = Math.max(1, concurrency);
    this.dispatch = dispatch;
  }
}
