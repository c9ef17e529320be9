import type { Bus } from '@ffgate/bus';

/**
 * The stream facts the transcoder needs, read through the Bus port (both adapters answer them):
 * where the IDENTITY / TOKENS replay must get to, and the depth of a queue.
 */
export interface StreamInfoSource {
  /** the last sequence stored in `stream`; 0 when it holds no messages (nothing to replay) */
  lastSeq(stream: string): Promise<number>;
  /** messages not yet handed to the durable consumer, or undefined while it does not exist */
  pending(stream: string, durable: string): Promise<number | undefined>;
}

export function streamInfoSource(bus: Pick<Bus, 'streamInfo' | 'consumerPending'>): StreamInfoSource {
  return {
    async lastSeq(stream) {
      const { lastSeq, messages } = await bus.streamInfo(stream);
      // every message aged out (or was removed): the replay delivers nothing to wait for
      return messages === 0 ? 0 : lastSeq;
    },
    pending: (stream, durable) => bus.consumerPending(stream, durable),
  };
}
