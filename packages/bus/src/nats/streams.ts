import { JetStreamApiCodes, JetStreamApiError, type JetStreamManager, type ConsumerConfig } from '@nats-io/jetstream';
import { BusError } from '../errors.ts';
import type { StreamSpec, StreamState } from '../port.ts';
import { toStreamConfig } from './wire.ts';

const isApiError = (err: unknown, code: number) => err instanceof JetStreamApiError && err.code === code;

/** Add the stream, or update it when it exists (idempotent). Storage cannot change on a live stream. */
export async function ensureNatsStream(jsm: JetStreamManager, spec: StreamSpec): Promise<void> {
  const cfg = toStreamConfig(spec);
  try {
    const info = await jsm.streams.info(spec.name);
    if (info.config.storage !== cfg.storage) {
      throw new BusError('FFGATE_BUS_STREAM_FAILED', `stream ${spec.name} exists with ${info.config.storage} storage; it cannot change to ${cfg.storage}`);
    }
    const c = info.config;
    const same =
      JSON.stringify([...c.subjects].sort()) === JSON.stringify([...(cfg.subjects ?? [])].sort()) &&
      c.retention === cfg.retention &&
      c.max_age === cfg.max_age &&
      (cfg.duplicate_window === undefined || c.duplicate_window === cfg.duplicate_window);
    if (!same) await jsm.streams.update(spec.name, cfg);
  } catch (err) {
    if (err instanceof BusError) throw err;
    if (!isApiError(err, JetStreamApiCodes.StreamNotFound)) {
      throw new BusError('FFGATE_BUS_STREAM_FAILED', `could not ensure stream ${spec.name}: ${(err as Error).message}`, { cause: err });
    }
    try {
      await jsm.streams.add(cfg);
    } catch (addErr) {
      throw new BusError('FFGATE_BUS_STREAM_FAILED', `could not add stream ${spec.name}: ${(addErr as Error).message}`, { cause: addErr });
    }
  }
}

/**
 * Create the durable consumer, or bring an existing one in line. `deliver_policy` of an existing
 * durable is left alone (it resumes where it was); the filter cannot change on nats-server 2.9.
 */
export async function ensureDurableConsumer(jsm: JetStreamManager, stream: string, cfg: Partial<ConsumerConfig> & { durable_name: string }): Promise<void> {
  const name = cfg.durable_name;
  try {
    const info = await jsm.consumers.info(stream, name);
    if ((info.config.filter_subject ?? '') !== (cfg.filter_subject ?? '')) {
      throw new BusError(
        'FFGATE_BUS_CONSUMER_FAILED',
        `durable ${name} on ${stream} exists with filter ${info.config.filter_subject || '(none)'}; delete it to change the filter`,
      );
    }
    if (info.config.ack_wait !== cfg.ack_wait || info.config.max_deliver !== cfg.max_deliver) {
      await jsm.consumers.update(stream, name, { ack_wait: cfg.ack_wait, max_deliver: cfg.max_deliver });
    }
  } catch (err) {
    if (err instanceof BusError) throw err;
    if (isApiError(err, JetStreamApiCodes.StreamNotFound)) {
      throw new BusError('FFGATE_BUS_NO_STREAM', `stream ${stream} does not exist`, { cause: err });
    }
    if (!isApiError(err, JetStreamApiCodes.ConsumerNotFound)) {
      throw new BusError('FFGATE_BUS_CONSUMER_FAILED', `could not ensure consumer ${name}: ${(err as Error).message}`, { cause: err });
    }
    try {
      await jsm.consumers.add(stream, cfg);
    } catch (addErr) {
      throw new BusError('FFGATE_BUS_CONSUMER_FAILED', `could not add consumer ${name}: ${(addErr as Error).message}`, { cause: addErr });
    }
  }
}

/** The stream's sequence state (`$JS.API.STREAM.INFO`). */
export async function natsStreamState(jsm: JetStreamManager, stream: string): Promise<StreamState> {
  try {
    const { state } = await jsm.streams.info(stream);
    return { lastSeq: state.last_seq, messages: state.messages };
  } catch (err) {
    if (isApiError(err, JetStreamApiCodes.StreamNotFound)) throw new BusError('FFGATE_BUS_NO_STREAM', `stream ${stream} does not exist`, { cause: err });
    throw new BusError('FFGATE_BUS_STREAM_FAILED', `could not read the state of stream ${stream}: ${(err as Error).message}`, { cause: err });
  }
}

/** The durable's `num_pending` (`$JS.API.CONSUMER.INFO`); undefined when the durable does not exist. */
export async function natsConsumerPending(jsm: JetStreamManager, stream: string, durable: string): Promise<number | undefined> {
  try {
    return (await jsm.consumers.info(stream, durable)).num_pending;
  } catch (err) {
    if (isApiError(err, JetStreamApiCodes.StreamNotFound)) throw new BusError('FFGATE_BUS_NO_STREAM', `stream ${stream} does not exist`, { cause: err });
    if (isApiError(err, JetStreamApiCodes.ConsumerNotFound)) return undefined;
    throw new BusError('FFGATE_BUS_CONSUMER_FAILED', `could not read consumer ${durable} on ${stream}: ${(err as Error).message}`, { cause: err });
  }
}
