import type { Bus, NatsBus } from '@ffgate/bus';

/**
 * Facts about streams and consumers that the Bus port does not expose (yet): read over the
 * JetStream API on the NATS connection. The in-process bus has no such API; its answers are
 * `undefined` (callers treat that as "nothing to wait for" / "unknown").
 */
export interface StreamInfoSource {
  /** the last sequence stored in `stream` (0 when empty), or undefined when unknown */
  lastSeq(stream: string): Promise<number | undefined>;
  /** messages not yet delivered to the durable consumer, or undefined when unknown */
  pending(stream: string, durable: string): Promise<number | undefined>;
}

interface StreamInfoReply {
  state?: { last_seq?: number; messages?: number };
  error?: { code: number; description: string };
}
interface ConsumerInfoReply {
  num_pending?: number;
  error?: { code: number; description: string };
}

export function streamInfoSource(bus: Bus): StreamInfoSource {
  if (bus.kind !== 'nats') return { lastSeq: async () => undefined, pending: async () => undefined };
  const nc = (bus as NatsBus).connection;
  const call = async <T>(subject: string): Promise<T> => (await nc.request(subject, '', { timeout: 5_000 })).json<T>();
  return {
    async lastSeq(stream) {
      const info = await call<StreamInfoReply>(`$JS.API.STREAM.INFO.${stream}`);
      if (info.error) throw new Error(`stream ${stream}: ${info.error.description}`);
      return (info.state?.messages ?? 0) === 0 ? 0 : (info.state?.last_seq ?? 0);
    },
    async pending(stream, durable) {
      const info = await call<ConsumerInfoReply>(`$JS.API.CONSUMER.INFO.${stream}.${durable}`);
      if (info.error) return undefined;
      return info.num_pending;
    },
  };
}
