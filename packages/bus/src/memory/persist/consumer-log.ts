import type { BusLogger } from '../../logger.ts';
import type { ConsumerJournal, DurableState } from '../journal.ts';
import { AppendLog } from './log-file.ts';
import { isConsumerStateRecord, isDeliveryRecord, isSettledRecord, type ConsumerRecord } from './records.ts';

/** below this many lines the log is not rewritten while running */
const MIN_LINES_TO_COMPACT = 1024;

/**
 * The durable consumers of one stream on disk (`<STREAM>.consumers.log`). A consumer's progress is
 * its cursor (highest sequence handed out) plus the messages handed out but not settled and how
 * often each was delivered; everything up to the cursor that is not pending is done. Every
 * delivery and settlement is a line; the log is replayed and rewritten as one snapshot line per
 * consumer on start, and again while running once it grows well past that size.
 */
export class ConsumerLog {
  private readonly file: AppendLog;
  private readonly logger: BusLogger;
  /** mirror of every durable's state, kept current so a compaction needs nobody else */
  private readonly states: Map<string, DurableState>;

  private constructor(file: AppendLog, logger: BusLogger, states: Map<string, DurableState>) {
    this.file = file;
    this.logger = logger;
    this.states = states;
  }

  static open(file: string, logger: BusLogger): ConsumerLog {
    const { records } = AppendLog.load(file, logger);
    const states = new Map<string, DurableState>();
    let orphans = 0;
    for (const r of records) {
      if (isConsumerStateRecord(r)) {
        states.set(r.c, { filter: r.filter ?? undefined, cursor: r.cursor, pending: new Map(r.pending) });
        continue;
      }
      const state = typeof (r as { c?: unknown }).c === 'string' ? states.get((r as { c: string }).c) : undefined;
      if (state && isDeliveryRecord(r)) {
        state.cursor = Math.max(state.cursor, r.d);
        state.pending.set(r.d, r.n);
      } else if (state && isSettledRecord(r)) state.pending.delete(r.s);
      else orphans++;
    }
    if (orphans > 0) logger.warn({ file, lines: orphans }, 'skipping consumer log lines of unknown shape or consumer');
    const log = new ConsumerLog(new AppendLog(file, logger), logger, states);
    if (records.length > states.size) log.compact();
    return log;
  }

  /** the persisted state of a durable, or undefined when it was never created */
  state(durable: string): DurableState | undefined {
    const s = this.states.get(durable);
    return s && { filter: s.filter, cursor: s.cursor, pending: new Map(s.pending) };
  }

  /** where the consumer reports its progress; write failures are logged (a restart redelivers) */
  journal(durable: string, filter: string | undefined): ConsumerJournal {
    const write = (record: ConsumerRecord, apply: (s: DurableState) => void) => {
      let state = this.states.get(durable);
      if (!state) this.states.set(durable, (state = { filter, cursor: 0, pending: new Map() }));
      apply(state);
      try {
        this.file.append([record]);
        this.maybeCompact();
      } catch (err) {
        this.logger.error({ file: this.file.path, durable, err }, 'could not record consumer progress; a restart may redeliver');
      }
    };
    return {
      created: (cursor) =>
        write({ c: durable, filter: filter ?? null, cursor, pending: [] }, (s) => {
          s.cursor = cursor;
          s.pending.clear();
        }),
      delivered: (seq, n) =>
        write({ c: durable, d: seq, n }, (s) => {
          s.cursor = Math.max(s.cursor, seq);
          s.pending.set(seq, n);
        }),
      settled: (seq) => write({ c: durable, s: seq }, (s) => s.pending.delete(seq)),
    };
  }

  close(): Promise<void> {
    return this.file.close();
  }

  private maybeCompact(): void {
    if (this.file.lines < MIN_LINES_TO_COMPACT) return;
    let size = 0;
    for (const s of this.states.values()) size += 1 + s.pending.size;
    if (this.file.lines > 4 * size) this.compact();
  }

  private compact(): void {
    this.file.rewrite(
      [...this.states].map(([c, s]): ConsumerRecord => ({ c, filter: s.filter ?? null, cursor: s.cursor, pending: [...s.pending] })),
    );
  }
}
