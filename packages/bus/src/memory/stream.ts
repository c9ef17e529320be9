import { BusError } from '../errors.ts';
import type { Headers, PublishAck, StreamSpec } from '../port.ts';
import { subjectMatches, subjectsOverlap } from '../subject.ts';
import type { StreamContents, StreamJournal } from './journal.ts';

export interface StoredMessage {
  seq: number;
  subject: string;
  /** the payload as it would travel on the wire (JSON text), so consumers never share objects */
  data: string;
  headers: Headers;
  time: number;
  msgId?: string;
}

const DEFAULT_DUPLICATE_WINDOW_MS = 120_000;

/** milliseconds since the epoch; injectable so tests can age messages without waiting */
export type Clock = () => number;

/** One in-memory stream: an append-only log with msgId de-duplication and age/work-queue removal. */
export class MemoryStream {
  spec: StreamSpec;
  journal?: StreamJournal;
  /** ascending by seq, so lookups are binary searches */
  private messages: StoredMessage[] = [];
  private lastSeq = 0;
  private readonly seen = new Map<string, { seq: number; at: number }>();
  private readonly clock: Clock;

  constructor(spec: StreamSpec, contents?: StreamContents, clock: Clock = Date.now) {
    this.spec = spec;
    this.clock = clock;
    if (contents) {
      this.messages = contents.messages;
      this.lastSeq = contents.lastSeq;
      this.seen = contents.dedup;
    }
  }

  get name(): string {
    return this.spec.name;
  }

  captures(subject: string): boolean {
    return this.spec.subjects.some((p) => subjectMatches(p, subject));
  }

  append(subject: string, data: string, headers: Headers, msgId: string | undefined, now = this.clock()): PublishAck {
    this.prune(now);
    if (msgId !== undefined) {
      const prior = this.seen.get(msgId);
      if (prior) return { stream: this.name, seq: prior.seq, duplicate: true };
    }
    const msg: StoredMessage = { seq: this.lastSeq + 1, subject, data, headers, time: now, msgId };
    this.journal?.appended(msg);
    this.lastSeq = msg.seq;
    this.messages.push(msg);
    if (msgId !== undefined) this.seen.set(msgId, { seq: msg.seq, at: now });
    return { stream: this.name, seq: msg.seq, duplicate: false };
  }

  /** the last sequence assigned so far (0 for an empty stream) */
  get tailSeq(): number {
    return this.lastSeq;
  }

  /** messages stored now (after age removal) */
  get size(): number {
    this.prune(this.clock());
    return this.messages.length;
  }

  /** how many stored messages after `seq` match `filter` (a consumer's `num_pending`) */
  countAfter(seq: number, filter: string | undefined): number {
    this.prune(this.clock());
    const from = this.indexAfter(seq);
    if (filter === undefined) return this.messages.length - from;
    let n = 0;
    for (let i = from; i < this.messages.length; i++) if (subjectMatches(filter, this.messages[i].subject)) n++;
    return n;
  }

  get(seq: number): StoredMessage | undefined {
    this.prune(this.clock());
    const i = this.indexAfter(seq - 1);
    return this.messages[i]?.seq === seq ? this.messages[i] : undefined;
  }

  /** the first message after `seq` whose subject matches `filter` */
  nextAfter(seq: number, filter: string | undefined): StoredMessage | undefined {
    this.prune(this.clock());
    for (let i = this.indexAfter(seq); i < this.messages.length; i++) {
      const m = this.messages[i];
      if (filter === undefined || subjectMatches(filter, m.subject)) return m;
    }
    return undefined;
  }

  /** a message was acknowledged or terminated: a work-queue stream forgets it */
  settled(seq: number): void {
    if (this.spec.retention !== 'workqueue') return;
    const i = this.indexAfter(seq - 1);
    if (this.messages[i]?.seq !== seq) return;
    this.messages.splice(i, 1);
    this.journal?.removed([seq], true);
  }

  /** what a compaction keeps: live messages, the sequence, de-duplication state */
  contents(): StreamContents {
    this.prune(this.clock());
    return { messages: this.messages, lastSeq: this.lastSeq, dedup: this.seen };
  }

  /** index of the first message with a sequence greater than `seq` */
  private indexAfter(seq: number): number {
    let lo = 0;
    let hi = this.messages.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.messages[mid].seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private prune(now: number): void {
    const window = this.spec.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS;
    // entries are in insertion (time) order: stop at the first one still inside the window
    for (const [id, entry] of this.seen) {
      if (now - entry.at <= window) break;
      this.seen.delete(id);
    }
    const maxAge = this.spec.maxAgeMs;
    if (maxAge && maxAge > 0 && this.messages.length > 0 && now - this.messages[0].time > maxAge) {
      const keepFrom = this.messages.findIndex((m) => now - m.time <= maxAge);
      const gone = this.messages.splice(0, keepFrom === -1 ? this.messages.length : keepFrom);
      this.journal?.removed(
        gone.map((m) => m.seq),
        false,
      );
    }
  }
}

/** Registry of streams for one bus instance; like JetStream, a subject belongs to at most one stream. */
export class StreamRegistry {
  private readonly streams = new Map<string, MemoryStream>();
  private readonly clock: Clock;

  constructor(clock: Clock = Date.now) {
    this.clock = clock;
  }

  /** create or update; `contents` seeds a stream created from disk */
  ensure(spec: StreamSpec, contents?: StreamContents): { stream: MemoryStream; created: boolean } {
    const existing = this.streams.get(spec.name);
    this.assertFree(spec);
    if (existing) {
      existing.spec = { ...spec };
      return { stream: existing, created: false };
    }
    const stream = new MemoryStream({ ...spec }, contents, this.clock);
    this.streams.set(spec.name, stream);
    return { stream, created: true };
  }

  /** throws when another stream already captures one of the spec's subjects */
  assertFree(spec: StreamSpec): void {
    for (const other of this.streams.values()) {
      if (other.name === spec.name) continue;
      const overlap = spec.subjects.find((s) => other.spec.subjects.some((o) => subjectsOverlap(s, o)));
      if (overlap) throw new BusError('FFGATE_BUS_STREAM_FAILED', `subject ${overlap} already belongs to stream ${other.name}`);
    }
  }

  has(name: string): boolean {
    return this.streams.has(name);
  }

  get(name: string): MemoryStream {
    const stream = this.streams.get(name);
    if (!stream) throw new BusError('FFGATE_BUS_NO_STREAM', `stream ${name} does not exist`);
    return stream;
  }

  forSubject(subject: string): MemoryStream {
    for (const stream of this.streams.values()) if (stream.captures(subject)) return stream;
    throw new BusError('FFGATE_BUS_NO_STREAM', `no stream captures subject ${subject}`);
  }
}
