/**
 * The Bus port: how services publish and consume events. Two adapters implement it
 * (NATS JetStream and in-process) and one contract suite (test/contract.ts) runs against both.
 *
 * Contract:
 * - `publish` validates the event against its contract (@ffgate/contracts `validateEvent`) before
 *   sending; an invalid event rejects with ContractError and is not sent.
 * - `msgId` de-duplicates: publishing the same msgId to a stream twice within the stream's
 *   duplicate window stores it once and the second ack says `duplicate: true`.
 * - Consumers validate every delivery; an event violating its contract is logged and terminated
 *   (never handed to the handler). The validator is pluggable per bus (adapter option `validate`).
 * - A durable consumer (`durable` set) is shared by every process using the same name: each message
 *   goes to one of them (work distribution) and progress survives restarts. Without `durable`
 *   every subscriber gets every message (broadcast), starting at `deliver`.
 * - Per subject, messages are delivered in publish order; the handler is called for one message at
 *   a time per subscription unless `concurrency` > 1. A retried message is redelivered after its
 *   delay, possibly after later messages (as in JetStream).
 * - Outcomes: `ack` done; `retry(delayMs)` redeliver after the delay (deliveryCount grows);
 *   `term(reason)` never redeliver (the reason is logged). A handler that throws is logged and
 *   retried with backoff (1 s, 2 s, 4 s … 30 s). A durable message not settled within `ackWaitMs`
 *   is redelivered unless the handler calls `working()`.
 * - Broadcast subscriptions have no broker-side acks: `retry` re-runs the handler locally after
 *   the delay (the message keeps its place, so order holds) up to `maxDeliver`; `term` drops it.
 * - W3C trace context travels in headers (`traceparent`, `tracestate`). A `traceparent` passed in
 *   `PublishOptions.headers` is kept as is; otherwise the active context is injected. Handlers run
 *   in a CONSUMER span whose parent is the context the message carries.
 * - `streamInfo` reports a stream's last assigned sequence and how many messages it holds now
 *   (JetStream `state.last_seq` / `state.messages`): `lastSeq` never goes back, even when messages
 *   age out or a work queue removes them (`messages` can be 0 with `lastSeq` > 0). A missing stream
 *   rejects with FFGATE_BUS_NO_STREAM.
 * - `consumerPending` counts the stored messages a durable consumer has not been handed yet: those
 *   after its delivery cursor that match its filter (JetStream `num_pending`; messages in flight or
 *   waiting for redelivery are not included). It resolves `undefined` while no durable of that name
 *   exists on the stream (none consumed yet), and rejects with FFGATE_BUS_NO_STREAM for a missing
 *   stream. Both are snapshots: they may be stale by the time the caller reads them.
 */
export type Headers = Record<string, string>;

export interface StreamSpec {
  name: string;
  subjects: readonly string[];
  storage?: 'file' | 'memory';
  retention?: 'limits' | 'workqueue' | 'interest';
  /** maximum age of messages; 0 or undefined = forever */
  maxAgeMs?: number;
  /** de-duplication window for msgId; JetStream default is 2 minutes */
  duplicateWindowMs?: number;
}

export interface PublishOptions {
  /** de-duplication id; the outbox uses the event id */
  msgId?: string;
  headers?: Headers;
}

export interface PublishAck {
  stream: string;
  seq: number;
  duplicate: boolean;
}

export interface Delivery<T = unknown> {
  subject: string;
  event: T;
  headers: Headers;
  /** stream sequence */
  seq: number;
  /** 1 on first delivery */
  deliveryCount: number;
  /** extend the ack deadline during long work (JetStream `working()`) */
  working(): void;
}

/** What a handler decided; mapped to ack / nak(delay) / term by the adapter. */
export type Outcome = { kind: 'ack' } | { kind: 'retry'; delayMs: number } | { kind: 'term'; reason: string };
export const ack: Outcome = { kind: 'ack' };
export const retry = (delayMs: number): Outcome => ({ kind: 'retry', delayMs });
export const term = (reason: string): Outcome => ({ kind: 'term', reason });

export interface ConsumeOptions {
  stream: string;
  /** durable consumer name: shared by all processes using it, resumes after restart */
  durable?: string;
  /** subject filter within the stream (one filter: nats-server 2.9); fixed for a durable's life */
  filterSubject?: string;
  /**
   * where a new consumer starts: 'all' = the stream's first message, 'new' = after the last one
   * stored when the consumer is created. An existing durable ignores it and resumes.
   */
  deliver: 'all' | 'new';
  /** ack deadline before redelivery (default 30 s) */
  ackWaitMs?: number;
  /** maximum deliveries before JetStream gives up (default unlimited) */
  maxDeliver?: number;
  /** handler calls in flight at once (default 1) */
  concurrency?: number;
}

export interface Subscription {
  /** stop receiving; waits for handlers in flight. Idempotent. */
  stop(): Promise<void>;
}

/** A snapshot of a stream's sequence state (see the contract above). */
export interface StreamState {
  /** the last sequence assigned (0 when nothing was ever stored) */
  lastSeq: number;
  /** messages stored now */
  messages: number;
}

export type Handler<T = unknown> = (delivery: Delivery<T>) => Promise<Outcome>;

export interface Bus {
  readonly kind: 'nats' | 'memory';
  /** create or update a stream (idempotent) */
  ensureStream(spec: StreamSpec): Promise<void>;
  publish(subject: string, event: unknown, options?: PublishOptions): Promise<PublishAck>;
  consume<T = unknown>(options: ConsumeOptions, handler: Handler<T>): Promise<Subscription>;
  /** the stream's last sequence and message count; rejects FFGATE_BUS_NO_STREAM when missing */
  streamInfo(stream: string): Promise<StreamState>;
  /** messages not yet handed to the durable consumer; undefined when the durable does not exist */
  consumerPending(stream: string, durable: string): Promise<number | undefined>;
  /** true while the connection to the broker is up (memory: until closed) */
  isConnected(): boolean;
  /** drain and close; idempotent */
  close(): Promise<void>;
}
