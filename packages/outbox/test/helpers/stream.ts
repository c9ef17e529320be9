import { Streams } from '@ffgate/contracts';
import { ack, type Bus, type Subscription } from '@ffgate/bus';
import type { ReceivedEvent } from './events.ts';

/** Messages stored in a stream, from the nats-server monitoring endpoint (`/jsz`). */
export async function streamMessageCount(monitorPort: number, stream: string = Streams.identity.name): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${monitorPort}/jsz?streams=true`);
  const body = (await res.json()) as {
    account_details?: { stream_detail?: { name: string; state: { messages: number } }[] }[];
  };
  for (const account of body.account_details ?? []) {
    for (const s of account.stream_detail ?? []) if (s.name === stream) return s.state.messages;
  }
  return 0;
}

/**
 * Reads the whole identity stream as an idempotent consumer does: a (resourceId, version) seen
 * before is skipped. `applied` holds first sightings in stream order.
 */
export class IdempotentReader {
  readonly applied: ReceivedEvent[] = [];
  skipped = 0;
  readonly #seen = new Set<string>();
  #subscription: Subscription | undefined;

  static async start(bus: Bus): Promise<IdempotentReader> {
    const reader = new IdempotentReader();
    reader.#subscription = await bus.consume<ReceivedEvent>({ stream: Streams.identity.name, deliver: 'all' }, async (d) => {
      reader.#apply(d.event);
      return ack;
    });
    return reader;
  }

  #apply(event: ReceivedEvent): void {
    const key = `${event.resourceId}@${event.version}`;
    if (this.#seen.has(key)) {
      this.skipped++;
      return;
    }
    this.#seen.add(key);
    this.applied.push({ id: event.id, resourceId: event.resourceId, version: event.version });
  }

  async stop(): Promise<void> {
    await this.#subscription?.stop();
  }
}
