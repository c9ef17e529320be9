import fs from 'node:fs';
import path from 'node:path';
import { BusError } from '../../errors.ts';
import type { BusLogger } from '../../logger.ts';
import type { StreamSpec } from '../../port.ts';
import type { StreamContents } from '../journal.ts';
import type { Clock } from '../stream.ts';
import { ConsumerLog } from './consumer-log.ts';
import { writeFileAtomic } from './log-file.ts';
import { lockDirectory } from './lock.ts';
import { StreamLog } from './stream-log.ts';

/** a stream name becomes a file name: keep to JetStream's safe characters */
const STREAM_NAME = /^[A-Za-z0-9_-]{1,200}$/;
const SPEC_SUFFIX = '.stream.json';

export interface OpenedStream {
  spec: StreamSpec;
  log: StreamLog;
  consumers: ConsumerLog;
  contents: StreamContents;
}

/**
 * The persistence directory of a memory bus: per stream `<STREAM>.stream.json` (spec, replaced
 * atomically), `<STREAM>.log` (messages) and `<STREAM>.consumers.log` (durable consumers), plus a
 * `LOCK` naming the process that owns it.
 */
export class BusStore {
  readonly dir: string;
  private readonly logger: BusLogger;
  private readonly release: () => void;
  private readonly opened = new Map<string, OpenedStream>();
  private readonly clock: Clock;

  private constructor(dir: string, logger: BusLogger, release: () => void, clock: Clock) {
    this.dir = dir;
    this.clock = clock;
    this.logger = logger;
    this.release = release;
  }

  /** claim the directory and load every stream found in it */
  static open(dir: string, logger: BusLogger, clock: Clock = Date.now): { store: BusStore; streams: OpenedStream[] } {
    fs.mkdirSync(dir, { recursive: true });
    const store = new BusStore(dir, logger, lockDirectory(dir, logger), clock);
    const streams: OpenedStream[] = [];
    try {
      for (const name of fs.readdirSync(dir).filter((f) => f.endsWith(SPEC_SUFFIX)).sort()) {
        const spec = store.readSpec(path.join(dir, name));
        if (spec) streams.push(store.openStream(spec));
      }
    } catch (err) {
      store.release();
      throw new BusError('FFGATE_BUS_CONNECT_FAILED', `cannot load the bus directory ${dir}`, { cause: err });
    }
    return { store, streams };
  }

  /** save the spec and open (or create) the stream's logs */
  openStream(spec: StreamSpec): OpenedStream {
    assertFileSafe(spec.name);
    this.saveSpec(spec);
    const base = path.join(this.dir, spec.name);
    const { log, contents } = StreamLog.open(`${base}.log`, spec, this.logger, this.clock());
    const opened: OpenedStream = { spec, log, consumers: ConsumerLog.open(`${base}.consumers.log`, this.logger), contents };
    this.opened.set(spec.name, opened);
    return opened;
  }

  saveSpec(spec: StreamSpec): void {
    assertFileSafe(spec.name);
    const file = path.join(this.dir, spec.name + SPEC_SUFFIX);
    const text = JSON.stringify(spec, null, 2) + '\n';
    if (readIfExists(file) !== text) writeFileAtomic(file, text);
  }

  consumers(stream: string): ConsumerLog | undefined {
    return this.opened.get(stream)?.consumers;
  }

  /** final fsync of every log, then release the directory; idempotent */
  async close(): Promise<void> {
    const all = [...this.opened.values()];
    this.opened.clear();
    await Promise.allSettled(all.flatMap((s) => [s.log.close(), s.consumers.close()]));
    this.release();
  }

  private readSpec(file: string): StreamSpec | undefined {
    try {
      const spec = JSON.parse(fs.readFileSync(file, 'utf8')) as StreamSpec;
      if (typeof spec.name === 'string' && STREAM_NAME.test(spec.name) && Array.isArray(spec.subjects)) return spec;
    } catch {
      /* reported below */
    }
    this.logger.error({ file }, 'ignoring an unreadable stream spec in the bus directory');
    return undefined;
  }
}

function assertFileSafe(name: string): void {
  if (!STREAM_NAME.test(name)) {
    throw new BusError('FFGATE_BUS_STREAM_FAILED', `stream name ${JSON.stringify(name)} cannot be persisted (use letters, digits, - and _)`);
  }
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
