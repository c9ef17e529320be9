import type { StoredMessage } from './stream.ts';

/**
 * What the in-memory structures report so they can outlive the process; implemented by
 * persist/stream-log.ts and persist/consumer-log.ts. Without a persistence directory no journal is
 * attached and nothing is written.
 */

/** A stream's changes. */
export interface StreamJournal {
  /** called before the message is visible; throwing aborts the append */
  appended(msg: StoredMessage): void;
  /** messages left the stream: `explicit` for work-queue removals, else they aged out */
  removed(seqs: readonly number[], explicit: boolean): void;
}

/** The contents of a stream loaded from disk. */
export interface StreamContents {
  /** ascending by seq */
  messages: StoredMessage[];
  lastSeq: number;
  /** msgId → seq and time, oldest first */
  dedup: Map<string, { seq: number; at: number }>;
}

/** A durable consumer's progress as persisted. */
export interface DurableState {
  filter: string | undefined;
  /** highest sequence handed out; everything up to it that is not pending is done */
  cursor: number;
  /** handed out but not settled: seq → deliveries so far */
  pending: Map<number, number>;
}

/** Where a durable consumer reports progress. */
export interface ConsumerJournal {
  created(cursor: number): void;
  delivered(seq: number, deliveryCount: number): void;
  /** acked, terminated, given up after maxDeliver, or vanished from the stream */
  settled(seq: number): void;
}
