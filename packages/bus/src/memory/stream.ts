import { BusError } from '../errors.ts';
import type { Headers, PublishAck, StreamSpec } from '../port.ts';
import { subjectMatches, subjectsOverlap } from '../subject.ts';

export interface StoredMessage {
  seq: number;
  subject: string;
  /** the payload as it would travel on the wire (JSON text), so consumers never share objects */
  data: string;
  headers: Headers;
  time: number;
}

const DEFAULT_DUPLICATE_WINDOW_MS = 120_000;

/** One in-memory stream: an append-only log with msgId de-duplication and age/work-queue removal. */
export class MemoryStream {
  spec: StreamSpec;
  private messages: StoredMessage[] = [];
  private lastSeq = 0;
  private readonly seen = new Map<string, { seq: number; at: number }>();

  constructor(spec: StreamSpec) {
    this.spec = spec;
  }

  get name(): string {
    return this.spec.name;
  }

  captures(subject: string): boolean {
    return this.spec.subjects.some((p) => subjectMatches(p, subject));
  }

  append(subject: string, data: string, headers: Headers, msgId: string | undefined, now = Date.now()): PublishAck {
    this.prune(now);
    if (msgId !== undefined) {
      const prior = this.seen.get(msgId);
      if (prior) return { stream: this.name, seq: prior.seq, duplicate: true };
    }
    const seq = ++this.lastSeq;
    this.messages.push({ seq, subject, data, headers, time: now });
    if (msgId !== undefined) this.seen.set(msgId, { seq, at: now });
    return { stream: this.name, seq, duplicate: false };
  }

  /** the last sequence assigned so far (0 for an empty stream) */
  get tailSeq(): number {
    return this.lastSeq;
  }

  get(seq: number): StoredMessage | undefined {
    this.prune(Date.now());
    return this.messages.find((m) => m.seq === seq);
  }

  /** the first message after `seq` whose subject matches `filter` */
  nextAfter(seq: number, filter: string | undefined): StoredMessage | undefined {
    this.prune(Date.now());
    return this.messages.find((m) => m.seq > seq && (filter === undefined || subjectMatches(filter, m.subject)));
  }

  /** a message was acknowledged or terminated: a work-queue stream forgets it */
  settled(seq: number): void {
    if (this.spec.retention === 'workqueue') this.messages = this.messages.filter((m) => m.seq !== seq);
  }

  private prune(now: number): void {
    const window = this.spec.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS;
    for (const [id, entry] of this.seen) if (now - entry.at > window) this.seen.delete(id);
    const maxAge = this.spec.maxAgeMs;
    if (maxAge && maxAge > 0 && this.messages.length > 0 && now - this.messages[0].time > maxAge) {
      this.messages = this.messages.filter((m) => now - m.time <= maxAge);
    }
  }
}

/** Registry of streams for one bus instance; like JetStream, a subject belongs to at most one stream. */
export class StreamRegistry {
  private readonly streams = new Map<string, MemoryStream>();

  ensure(spec: StreamSpec): void {
    const existing = this.streams.get(spec.name);
    for (const other of this.streams.values()) {
      if (other.name === spec.name) continue;
      const overlap = spec.subjects.find((s) => other.spec.subjects.some((o) => subjectsOverlap(s, o)));
      if (overlap) throw new BusError('FFGATE_BUS_STREAM_FAILED', `subject ${overlap} already belongs to stream ${other.name}`);
    }
    if (existing) existing.spec = { ...spec };
    else this.streams.set(spec.name, new MemoryStream({ ...spec }));
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
