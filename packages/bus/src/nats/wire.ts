import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import type { Headers, StreamSpec } from '../port.ts';

/** Mapping between the port's plain types and the NATS wire types, in one place. */

export const msToNanos = (ms: number): number => Math.round(ms * 1_000_000);

export function toMsgHdrs(record: Headers): MsgHdrs | undefined {
  const keys = Object.keys(record);
  if (keys.length === 0) return undefined;
  const h = natsHeaders();
  for (const k of keys) h.set(k, record[k]);
  return h;
}

/** Plain headers from a message (first value per key; `MsgHdrs.get` would give "" for a missing key). */
export function fromMsgHdrs(h: MsgHdrs | undefined): Headers {
  const out: Headers = {};
  if (!h) return out;
  for (const k of h.keys()) if (h.has(k)) out[k] = h.get(k);
  return out;
}

export function toStreamConfig(spec: StreamSpec): Partial<StreamConfig> & { name: string } {
  const cfg: Partial<StreamConfig> & { name: string } = {
    name: spec.name,
    subjects: [...spec.subjects],
    storage: spec.storage === 'memory' ? StorageType.Memory : StorageType.File,
    retention:
      spec.retention === 'workqueue' ? RetentionPolicy.Workqueue : spec.retention === 'interest' ? RetentionPolicy.Interest : RetentionPolicy.Limits,
    max_age: msToNanos(spec.maxAgeMs ?? 0),
  };
  if (spec.duplicateWindowMs !== undefined) cfg.duplicate_window = msToNanos(spec.duplicateWindowMs);
  return cfg;
}

/** nats-server before 2.10 ignores a `+TERM <reason>` ack entirely (the message is redelivered). */
export function serverHonoursTermReason(version: string | undefined): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) return false;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > 2 || (major === 2 && minor >= 10);
}
