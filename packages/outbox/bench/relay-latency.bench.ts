// Commit → consumer latency of the outbox relay on PostgreSQL + a private nats-server.
//   node packages/outbox/bench/relay-latency.bench.ts [events=2000] [intervalMs=2]
// Prints percentiles next to a baseline (a direct bus.publish round trip) measured in the same run.
// A script, not a test: no thresholds.
import { performance } from 'node:perf_hooks';
import { ack, connectNatsBus, silentLogger } from '@ffgate/bus';
import { Streams } from '@ffgate/contracts';
import { openDatabase } from '@ffgate/db';
import { enqueue, OutboxRelay } from '@ffgate/outbox';
import { createTestDatabase, startNatsServer } from '@ffgate/testing';
import { migrateOutbox, outbox } from '../test/helpers/schema.ts';
import { userUpdated } from '../test/helpers/events.ts';

const events = Number(process.argv[2] ?? 2000);
const intervalMs = Number(process.argv[3] ?? 2);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const row = (name: string, xs: number[]) =>
  console.log(`${name.padEnd(28)} n=${xs.length}  p50=${pct(xs, 50).toFixed(2)}  p95=${pct(xs, 95).toFixed(2)}  p99=${pct(xs, 99).toFixed(2)}  max=${Math.max(...xs).toFixed(2)} ms`);

const nats = await startNatsServer();
const testDb = await createTestDatabase('ffgate_bench');
const database = await openDatabase({ url: testDb.url });
try {
  await migrateOutbox(database);
  const bus = await connectNatsBus({ url: nats.url, name: 'bench', logger: silentLogger });
  await bus.ensureStream({ ...Streams.identity, subjects: [...Streams.identity.subjects] });

  // baseline: what a publish alone costs
  const direct: number[] = [];
  for (let i = 0; i < 500; i++) {
    const m = userUpdated(`base-${i % 50}`, i + 1);
    const t = performance.now();
    await bus.publish(m.subject, m.event, { msgId: m.event.id });
    direct.push(performance.now() - t);
  }

  const committedAt = new Map<string, number>();
  const latencies: number[] = [];
  let delivered = 0;
  let early = 0;
  const sub = await bus.consume<{ id: string }>({ stream: Streams.identity.name, deliver: 'new' }, async (d) => {
    delivered++;
    const t = committedAt.get(d.event.id);
    if (t !== undefined) latencies.push(performance.now() - t);
    else early++;
    return ack;
  });
  const relay = new OutboxRelay({ database, table: outbox, bus, logger: silentLogger });
  await relay.start();

  const versions = new Map<string, number>();
  for (let i = 0; i < events; i++) {
    const id = `user-${i % 100}`;
    const v = (versions.get(id) ?? 0) + 1;
    versions.set(id, v);
    const m = userUpdated(id, v);
    await database.db.transaction(async (tx) => {
      await enqueue(tx, outbox, [m]);
      // taken just before COMMIT is sent: the writer's own continuation may run after the event arrives
      committedAt.set(m.event.id, performance.now());
    });
    if (intervalMs > 0) await new Promise((r) => setTimeout(r, intervalMs));
  }
  const deadline = Date.now() + 30_000;
  while (latencies.length < events && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (latencies.length < events) console.log(`only ${latencies.length} of ${events} events arrived; relay stats ${JSON.stringify(relay.stats)}; delivered ${delivered}, before commit returned ${early}`);

  row('baseline: bus.publish', direct);
  row('outbox: COMMIT sent → consumer', latencies);
  await relay.stop();
  await sub.stop();
  await bus.close();
} finally {
  await database.close();
  await testDb.drop();
  await nats.cleanup();
}
