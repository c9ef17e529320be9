// Child process for memory-restart.test.ts: publishes, starts handling, and gets SIGKILLed by the
// test while one handler is still in flight (no close, no final fsync).
import { ack, createMemoryBus, silentLogger } from '../src/index.ts';
import { stream, userEvent } from './fixtures.ts';

const dir = process.argv[2];
const bus = createMemoryBus({ persistDir: dir, logger: silentLogger });
await bus.ensureStream(stream);
const events = [userEvent('crash', 1), userEvent('crash', 2), userEvent('crash', 3)];
for (const e of events) await bus.publish(e.subject, e.event, { msgId: e.event.id });
await bus.consume<{ version: number }>({ stream: stream.name, durable: 'crashy', deliver: 'all' }, async (d) => {
  if (d.event.version < 2) return ack;
  process.stdout.write(`in-flight ${d.seq}\n`);
  return new Promise(() => {}); // never settles: the process dies first
});
