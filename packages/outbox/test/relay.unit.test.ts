import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '@ffgate/db';
import { enqueue, OutboxRelay, type OutboxRelayOptions } from '@ffgate/outbox';
import { waitFor } from '@ffgate/testing';
import { createMemoryBus, silentLogger, type Bus } from '@ffgate/bus';
import { Streams } from '@ffgate/contracts';
import { countRows, migrateOutbox, outbox } from './helpers/schema.ts';
import { expectedVersions, userUpdated, versionsByResource } from './helpers/events.ts';
import { FakeBus } from './helpers/fake-bus.ts';

// Unit tests of the relay's logic: embedded PGlite as the database, a strict fake bus.
let database: Database;
let bus: FakeBus;
const relays: OutboxRelay[] = [];

function relay(options: Partial<OutboxRelayOptions> & { bus?: Bus } = {}): OutboxRelay {
  const r = new OutboxRelay({ database, table: outbox, bus, logger: { ...silentLogger, error: () => {} }, backoff: { initialMs: 5, maxMs: 20 }, leaderRetryMs: 20, ...options });
  relays.push(r);
  return r;
}

/** enqueue `perResource` versions for each resource, one transaction per version */
async function write(resources: string[], perResource: number, startVersion = 1): Promise<void> {
  for (let v = startVersion; v < startVersion + perResource; v++) {
    for (const id of resources) {
      await database.db.transaction(async (tx) => enqueue(tx, outbox, [userUpdated(id, v)]));
    }
  }
}

function storedVersions() {
  return versionsByResource(bus.stored.map((c) => c.event));
}

beforeAll(async () => {
  database = await openDatabase();
  await migrateOutbox(database);
});
afterAll(async () => {
  await database.close();
});
beforeEach(() => {
  bus = new FakeBus();
});
afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.stop()));
  await database.db.execute(sql`truncate "obtest"."outbox"`);
});

describe('OutboxRelay with a fake bus', () => {
  test('publishes in seq order with msgId = event id and the stored headers, then marks rows sent', async () => {
    await database.db.transaction(async (tx) => {
      const m = userUpdated('u1', 1);
      await enqueue(tx, outbox, [{ ...m, headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } }, userUpdated('u1', 2)]);
    });
    const r = relay();
    await r.start();
    expect(r.isLeader).toBe(true);
    await waitFor(() => bus.stored.length === 2, { message: 'both events published' });
    expect(bus.stored.map((c) => c.event.version)).toEqual([1, 2]);
    expect(bus.stored[0].options.headers?.traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(bus.stored[0].subject).toBe('identity.user.updated.u1');
    await waitFor(async () => (await countRows(database, 'unsent')) === 0, { message: 'rows marked sent' });
    expect(r.stats.published).toBe(2);
  });

  test('a publish failing mid-batch is retried from the first unacked row: order kept, nothing lost', async () => {
    const resources = ['a', 'b', 'c', 'd', 'e'];
    await write(resources, 20); // 100 rows, one batch
    let failedOnce = false;
    bus.failWhen = (_call, index) => {
      if (index === 37 && !failedOnce) return (failedOnce = true);
      return false;
    };
    const r = relay();
    await r.start();
    await waitFor(async () => (await countRows(database, 'unsent')) === 0, { message: 'all rows sent' });
    expect(bus.stored).toHaveLength(100);
    for (const id of resources) expect(storedVersions().get(id)).toEqual(expectedVersions(20));
    expect(r.stats.failures).toBeGreaterThanOrEqual(1);
    // rows after the failed one (other resources) reached the stream and came back as duplicates
    expect(r.stats.duplicates).toBeGreaterThan(0);
    expect(r.stats.published).toBe(100);
    // every row published once, plus the failed call, plus the re-sent duplicates
    expect(bus.calls).toHaveLength(101 + r.stats.duplicates);
  });

  test('a lost ack (stored but not acknowledged) is republished and de-duplicated', async () => {
    await write(['x', 'y'], 10);
    bus.storeFailed = true;
    let lost = 0;
    bus.failWhen = (_call, index) => index % 7 === 3 && lost++ < 3;
    const r = relay({ batchSize: 8 });
    await r.start();
    await waitFor(async () => (await countRows(database, 'unsent')) === 0, { message: 'all rows sent' });
    expect(bus.stored).toHaveLength(20);
    expect(storedVersions().get('x')).toEqual(expectedVersions(10));
    expect(storedVersions().get('y')).toEqual(expectedVersions(10));
    expect(r.stats.failures).toBe(3);
  });

  test('while the bus is down nothing is marked sent; when it returns everything is published in order', async () => {
    let down = true;
    bus.failWhen = () => down;
    const r = relay();
    await r.start();
    await write(['p', 'q', 'r'], 5);
    await waitFor(() => r.stats.failures >= 3, { message: 'relay keeps retrying' });
    expect(await countRows(database, 'unsent')).toBe(15);
    expect(bus.stored).toHaveLength(0);
    down = false;
    await waitFor(async () => (await countRows(database, 'unsent')) === 0, { message: 'all rows sent after recovery' });
    for (const id of ['p', 'q', 'r']) expect(storedVersions().get(id)).toEqual(expectedVersions(5));
  });

  test('a crash between publish and marking sent loses nothing; the next relay republishes as duplicates', async () => {
    await write(['k1', 'k2'], 5);
    const crashing = relay({
      hooks: {
        afterPublish: () => {
          throw new Error('simulated crash before the update');
        },
      },
    });
    await crashing.start();
    await waitFor(() => bus.stored.length === 10, { message: 'first relay published' });
    await crashing.stop();
    expect(await countRows(database, 'unsent')).toBe(10);

    const next = relay();
    await next.start();
    await waitFor(async () => (await countRows(database, 'unsent')) === 0, { message: 'second relay marked all sent' });
    expect(bus.stored).toHaveLength(10);
    expect(next.stats.duplicates).toBe(10);
  });

  test('a NOTIFY wakes the relay without waiting for the safety poll', async () => {
    const r = relay({ safetyPollMs: 600_000 });
    await r.start();
    await write(['n1'], 3);
    await waitFor(() => bus.stored.length === 3, { timeoutMs: 5000, message: 'published on NOTIFY' });
    expect(storedVersions().get('n1')).toEqual([1, 2, 3]);
  });

  test('a rolled-back transaction publishes nothing', async () => {
    const r = relay();
    await r.start();
    await expect(
      database.db.transaction(async (tx) => {
        await enqueue(tx, outbox, [userUpdated('rb', 1)]);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    await write(['ok'], 1);
    await waitFor(() => bus.stored.length === 1, { message: 'the committed event' });
    expect(bus.stored[0].event.resourceId).toBe('ok');
    expect(await countRows(database)).toBe(1);
  });

  test('enqueue refuses an event that violates its contract, failing the writer transaction', async () => {
    const bad = userUpdated('bad', 1);
    (bad.event as Record<string, unknown>).version = 0;
    await expect(database.db.transaction(async (tx) => enqueue(tx, outbox, [userUpdated('good', 1), bad]))).rejects.toMatchObject({
      code: 'FFGATE_CONTRACT_INVALID',
    });
    expect(await countRows(database)).toBe(0);
  });

  test('only one relay leads; when the leader stops, the follower takes over and keeps publishing', async () => {
    const first = relay();
    const second = relay();
    await first.start();
    await second.start();
    expect([first.isLeader, second.isLeader].filter(Boolean)).toHaveLength(1);
    const [leader, follower] = first.isLeader ? [first, second] : [second, first];
    await write(['l'], 3);
    await waitFor(() => bus.stored.length === 3, { message: 'leader published' });
    expect(follower.stats.published).toBe(0);

    await leader.stop();
    await leader.stop(); // idempotent
    await waitFor(() => follower.isLeader, { message: 'follower takes over' });
    await write(['l'], 3, 4);
    await waitFor(() => bus.stored.length === 6, { message: 'new leader published' });
    expect(storedVersions().get('l')).toEqual(expectedVersions(6));
    expect(follower.stats.published).toBe(3);
  });

  test('sent rows older than the retention are purged; unsent rows never are', async () => {
    let down = false;
    bus.failWhen = () => down;
    const r = relay({ retention: { sentRetentionMs: 0, purgeIntervalMs: 0 } });
    await r.start();
    await write(['old'], 4);
    await waitFor(() => r.stats.purged === 4, { message: 'sent rows purged' });
    expect(await countRows(database)).toBe(0);
    down = true;
    await write(['old'], 2, 5);
    await waitFor(() => r.stats.failures >= 2, { message: 'publishes failing' });
    expect(await countRows(database, 'unsent')).toBe(2);
  });

  test('a stored row that violates its contract blocks the outbox instead of being skipped', async () => {
    const memory = createMemoryBus({ logger: silentLogger });
    await memory.ensureStream({ ...Streams.identity, subjects: [...Streams.identity.subjects] });
    const bad = userUpdated('poison', 1);
    (bad.event as Record<string, unknown>).version = 0;
    // bypass enqueue's validation, as a row written before a contract change would be
    await database.db.insert(outbox).values({ id: bad.event.id, subject: bad.subject, payload: bad.event });
    await write(['poison'], 1, 2);
    const errors: string[] = [];
    const r = relay({ bus: memory, logger: { ...silentLogger, error: (_o, msg) => errors.push(msg) } });
    await r.start();
    await waitFor(() => r.stats.failures >= 2, { message: 'relay retries the poison row' });
    expect(errors[0]).toContain('violates its event contract');
    expect(r.stats.published).toBe(0); // version 2 of the same resource did not overtake version 1
    expect(await countRows(database, 'unsent')).toBe(2);
    await r.stop();
    await memory.close();
  });
});
