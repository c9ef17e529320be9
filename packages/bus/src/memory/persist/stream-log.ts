import type { BusLogger } from '../../logger.ts';
import type { StreamSpec } from '../../port.ts';
import type { StreamContents, StreamJournal } from '../journal.ts';
import type { StoredMessage } from '../stream.ts';
import { AppendLog } from './log-file.ts';
import { isMessageRecord, isMetaRecord, isRemovalRecord, type MessageRecord, type StreamRecord } from './records.ts';

const DEFAULT_DUPLICATE_WINDOW_MS = 120_000;
/** below this many dead lines a running stream is not rewritten (a work queue would rewrite per job) */
const MIN_DEAD_TO_COMPACT = 1024;

const toRecord = (m: StoredMessage): MessageRecord => ({
  seq: m.seq,
  subject: m.subject,
  headers: m.headers,
  payload: m.data,
  ...(m.msgId !== undefined ? { msgId: m.msgId } : {}),
  time: m.time,
});

/**
 * A stream's messages on disk (`<STREAM>.log`): every append and work-queue removal is a line;
 * the file is rewritten without dead lines (removed, aged out, corrupt) once they outnumber the
 * live messages.
 */
export class StreamLog implements StreamJournal {
  private readonly file: AppendLog;
  private readonly logger: BusLogger;
  private live: number;
  private dead: number;
  private source?: () => StreamContents;
  private compacting = false;

  private constructor(file: AppendLog, logger: BusLogger, live: number, dead: number) {
    this.file = file;
    this.logger = logger;
    this.live = live;
    this.dead = dead;
  }

  /** load the stream's contents (pruned by age and de-duplication window) and open it for appends */
  static open(file: string, spec: StreamSpec, logger: BusLogger, now = Date.now()): { log: StreamLog; contents: StreamContents } {
    const { records, garbage } = AppendLog.load(file, logger);
    const removed = new Set<number>();
    const dedup: [string, number, number][] = [];
    const all: MessageRecord[] = [];
    let lastSeq = 0;
    let unknown = 0;
    for (const r of records) {
      if (isMessageRecord(r)) {
        all.push(r);
        lastSeq = Math.max(lastSeq, r.seq);
        if (r.msgId !== undefined) dedup.push([r.msgId, r.seq, r.time]);
      } else if (isRemovalRecord(r)) removed.add(r.del);
      else if (isMetaRecord(r)) {
        lastSeq = Math.max(lastSeq, r.meta.lastSeq);
        dedup.push(...r.meta.dedup);
      } else unknown++;
    }
    if (unknown > 0) logger.warn({ file, lines: unknown }, 'skipping lines of unknown shape in the bus log');
    const maxAge = spec.maxAgeMs && spec.maxAgeMs > 0 ? spec.maxAgeMs : Infinity;
    const bySeq = new Map<number, StoredMessage>();
    for (const r of all) {
      if (removed.has(r.seq) || now - r.time > maxAge) continue;
      bySeq.set(r.seq, { seq: r.seq, subject: r.subject, data: r.payload, headers: r.headers, time: r.time, msgId: r.msgId });
    }
    const messages = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    const window = spec.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS;
    const seen = new Map<string, { seq: number; at: number }>();
    for (const [id, seq, at] of dedup.sort((a, b) => a[2] - b[2])) if (now - at <= window) seen.set(id, { seq, at });

    const log = new StreamLog(new AppendLog(file, logger), logger, messages.length, records.length + garbage - messages.length);
    const contents: StreamContents = { messages, lastSeq, dedup: seen };
    // one meta line is not dead weight; anything more than half dead is rewritten at once
    if (log.dead > 1 && log.dead > log.live) log.compact(contents);
    return { log, contents };
  }

  /** where compaction reads the live contents from (the stream itself) */
  bind(source: () => StreamContents): void {
    this.source = source;
  }

  appended(msg: StoredMessage): void {
    this.file.append([toRecord(msg)]);
    this.live++;
  }

  removed(seqs: readonly number[], explicit: boolean): void {
    this.live -= seqs.length;
    this.dead += seqs.length;
    if (explicit) {
      try {
        this.file.append(seqs.map((seq): StreamRecord => ({ del: seq })));
        this.dead += seqs.length;
      } catch (err) {
        // the message is gone from memory; on disk it would come back after a restart (at least once)
        this.logger.error({ file: this.file.path, seqs, err }, 'could not record a work-queue removal');
      }
    }
    if (this.dead >= MIN_DEAD_TO_COMPACT && this.dead > this.live && this.source && !this.compacting) {
      this.compacting = true;
      try {
        this.compact(this.source());
      } catch (err) {
        this.logger.error({ file: this.file.path, err }, 'compacting the bus log failed; will retry later');
      } finally {
        this.compacting = false;
      }
    }
  }

  close(): Promise<void> {
    return this.file.close();
  }

  private compact(contents: StreamContents): void {
    const dedup = [...contents.dedup].map(([id, e]): [string, number, number] => [id, e.seq, e.at]);
    const meta: StreamRecord = { meta: { lastSeq: contents.lastSeq, dedup } };
    this.file.rewrite([meta, ...contents.messages.map(toRecord)]);
    this.live = contents.messages.length;
    this.dead = 1;
  }
}
