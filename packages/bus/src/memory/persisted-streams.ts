import { BusError } from '../errors.ts';
import type { BusLogger } from '../logger.ts';
import type { StreamSpec } from '../port.ts';
import type { ConsumerJournal, DurableState } from './journal.ts';
import { BusStore, type OpenedStream } from './persist/store.ts';
import type { Clock, MemoryStream, StreamRegistry } from './stream.ts';

/** Wiring between a bus's stream registry and its persistence directory (if it has one). */
export class PersistedStreams {
  private readonly store: BusStore;

  /** claim `dir`, load every stored stream into `streams` */
  constructor(dir: string, streams: StreamRegistry, logger: BusLogger, clock: Clock) {
    const loaded = BusStore.open(dir, logger, clock);
    this.store = loaded.store;
    for (const opened of loaded.streams) {
      try {
        wire(streams.ensure(opened.spec, opened.contents).stream, opened);
      } catch (err) {
        logger.error({ stream: opened.spec.name, err }, 'ignoring a stored stream that conflicts with another');
      }
    }
  }

  /** create or update a stream and its files */
  ensure(streams: StreamRegistry, spec: StreamSpec): void {
    try {
      if (streams.has(spec.name)) {
        streams.ensure(spec);
        this.store.saveSpec(spec);
        return;
      }
      streams.assertFree(spec);
      const opened = this.store.openStream(spec);
      wire(streams.ensure(spec, opened.contents).stream, opened);
    } catch (err) {
      if (err instanceof BusError) throw err;
      throw new BusError('FFGATE_BUS_STREAM_FAILED', `could not store stream ${spec.name}`, { cause: err });
    }
  }

  /** a durable's stored progress (undefined when new) and where it records more */
  durable(stream: string, name: string, filter: string | undefined): { journal?: ConsumerJournal; restored?: DurableState } {
    const log = this.store.consumers(stream);
    return { journal: log?.journal(name, filter), restored: log?.state(name) };
  }

  /** a durable's stored progress, without opening it for consumption (undefined when unknown) */
  storedDurable(stream: string, name: string): DurableState | undefined {
    return this.store.consumers(stream)?.state(name);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

function wire(stream: MemoryStream, opened: OpenedStream): void {
  stream.journal = opened.log;
  opened.log.bind(() => stream.contents());
}
