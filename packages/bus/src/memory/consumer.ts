import type { BusLogger } from '../logger.ts';
import type { Outcome } from '../port.ts';
import type { ConsumerJournal, DurableState } from './journal.ts';
import type { MemoryStream, StoredMessage } from './stream.ts';
import type { MemorySubscriber } from './subscriber.ts';

export interface ConsumerConfig {
  filter?: string;
  /** undefined = no ack deadline (broadcast) */
  ackWaitMs?: number;
  maxDeliver?: number;
}

interface Pending {
  deliveryCount: number;
  /** identifies the current delivery attempt; 0 once it was settled or timed out */
  token: number;
  timer?: NodeJS.Timeout;
}

/**
 * In-memory equivalent of a JetStream consumer: a cursor into the stream, the messages delivered
 * but not yet settled, and the subscribers sharing the work (round robin among those with free
 * slots). Mirrors JetStream semantics: unsettled messages are redelivered after the ack deadline,
 * `retry` after its delay, and delivery stops after `maxDeliver` attempts.
 */
export class MemoryConsumer {
  readonly stream: MemoryStream;
  config: ConsumerConfig;
  private readonly logger: BusLogger;
  private cursor: number;
  private readonly pending = new Map<number, Pending>();
  private due: number[] = [];
  private subscribers: MemorySubscriber[] = [];
  private rr = 0;
  private nextToken = 1;
  private scheduled = false;

  private readonly journal?: ConsumerJournal;

  /**
   * `restored`: resume a durable from disk — its unsettled messages are delivered again first,
   * with their delivery counts carried on. Otherwise start where `deliver` says.
   */
  constructor(
    stream: MemoryStream,
    config: ConsumerConfig,
    deliver: 'all' | 'new',
    logger: BusLogger,
    persisted: { journal?: ConsumerJournal; restored?: DurableState } = {},
  ) {
    this.stream = stream;
    this.config = config;
    this.logger = logger;
    this.journal = persisted.journal;
    const restored = persisted.restored;
    if (restored) {
      this.cursor = restored.cursor;
      for (const [seq, deliveryCount] of restored.pending) this.pending.set(seq, { deliveryCount, token: 0 });
      this.due = [...restored.pending.keys()].sort((a, b) => a - b);
    } else {
      this.cursor = deliver === 'all' ? 0 : stream.tailSeq;
      this.journal?.created(this.cursor);
    }
  }

  /** stored messages not handed out yet: after the cursor, matching the filter */
  get undelivered(): number {
    return this.stream.countAfter(this.cursor, this.config.filter);
  }

  attach(sub: MemorySubscriber): void {
    this.subscribers.push(sub);
    this.notify();
  }

  detach(sub: MemorySubscriber): void {
    this.subscribers = this.subscribers.filter((s) => s !== sub);
  }

  /** new messages or free slots: deliver on the next microtask (never inside publish) */
  notify(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  close(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    this.due = [];
    this.subscribers = [];
  }

  private pump(): void {
    for (;;) {
      const sub = this.freeSubscriber();
      if (!sub) return;
      const next = this.nextMessage();
      if (!next) return;
      this.deliver(sub, next.msg, next.deliveryCount);
    }
  }

  private freeSubscriber(): MemorySubscriber | undefined {
    for (let i = 0; i < this.subscribers.length; i++) {
      const sub = this.subscribers[(this.rr + i) % this.subscribers.length];
      if (sub.active < sub.concurrency) {
        this.rr = (this.rr + i + 1) % this.subscribers.length;
        return sub;
      }
    }
    return undefined;
  }

  private nextMessage(): { msg: StoredMessage; deliveryCount: number } | undefined {
    while (this.due.length > 0) {
      const seq = this.due.shift()!;
      const entry = this.pending.get(seq);
      const msg = this.stream.get(seq);
      if (!entry) continue;
      const max = this.config.maxDeliver;
      if (msg && !(max !== undefined && max > 0 && entry.deliveryCount >= max)) return { msg, deliveryCount: entry.deliveryCount + 1 };
      // gone from the stream meanwhile (age, work queue), or restored from disk after its last allowed attempt
      if (msg) this.logger.warn({ stream: this.stream.name, seq, deliveries: entry.deliveryCount }, 'message reached maxDeliver; no more deliveries');
      this.pending.delete(seq);
      this.journal?.settled(seq);
    }
    const msg = this.stream.nextAfter(this.cursor, this.config.filter);
    if (!msg) return undefined;
    this.cursor = msg.seq;
    return { msg, deliveryCount: 1 };
  }

  private deliver(sub: MemorySubscriber, msg: StoredMessage, deliveryCount: number): void {
    const token = this.nextToken++;
    const entry: Pending = { deliveryCount, token };
    this.pending.set(msg.seq, entry);
    this.journal?.delivered(msg.seq, deliveryCount);
    const armAckDeadline = () => {
      if (this.config.ackWaitMs === undefined) return;
      clearTimeout(entry.timer);
      entry.timer = setTimeout(() => this.expired(msg.seq, token), this.config.ackWaitMs);
      entry.timer.unref();
    };
    armAckDeadline();
    sub.active++;
    const working = () => {
      if (entry.token === token) armAckDeadline();
    };
    const run: Promise<void> = sub
      .dispatch(msg, deliveryCount, working)
      .then(
        (outcome) => this.settle(msg.seq, token, outcome),
        (err: unknown) => {
          this.logger.error({ stream: this.stream.name, seq: msg.seq, err }, 'delivery failed; retrying');
          this.settle(msg.seq, token, { kind: 'retry', delayMs: 1000 });
        },
      )
      .finally(() => {
        sub.active--;
        sub.inflight.delete(run);
        this.notify();
      });
    sub.inflight.add(run);
  }

  /** the ack deadline passed without an outcome: JetStream would redeliver */
  private expired(seq: number, token: number): void {
    const entry = this.pending.get(seq);
    if (!entry || entry.token !== token) return;
    entry.token = 0;
    this.logger.warn({ stream: this.stream.name, seq }, 'ack deadline passed; redelivering');
    this.redeliverLater(seq, entry, 0);
  }

  private settle(seq: number, token: number, outcome: Outcome): void {
    const entry = this.pending.get(seq);
    if (!entry || entry.token !== token) return; // late outcome of a delivery that already timed out
    clearTimeout(entry.timer);
    entry.token = 0;
    if (outcome.kind === 'retry') return this.redeliverLater(seq, entry, outcome.delayMs);
    this.pending.delete(seq);
    // stream first: a crash in between leaves a pending seq the stream no longer has (cleaned up
    // on the next pass), never a settled work-queue message that stays in the stream for good
    this.stream.settled(seq);
    this.journal?.settled(seq);
  }

  private redeliverLater(seq: number, entry: Pending, delayMs: number): void {
    const max = this.config.maxDeliver;
    if (max !== undefined && max > 0 && entry.deliveryCount >= max) {
      this.pending.delete(seq);
      this.journal?.settled(seq);
      this.logger.warn({ stream: this.stream.name, seq, deliveries: entry.deliveryCount }, 'message reached maxDeliver; no more deliveries');
      return;
    }
    entry.timer = setTimeout(() => {
      this.due.push(seq);
      this.due.sort((a, b) => a - b);
      this.notify();
    }, Math.max(0, delayMs));
    entry.timer.unref();
  }
}
