import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { Streams } from '@ffgate/contracts';
import { connectNatsBus, silentLogger, type NatsBus } from '@ffgate/bus';
import { openDatabase, type Database } from '@ffgate/db';
import { enqueue, OutboxRelay } from '@ffgate/outbox';
import { createTestDatabase, describeWithNatsAndPostgres, startNatsServer, waitFor, type NatsServerHandle, type TestDatabase } from '@ffgate/testing';
import { countRows, migrateOutbox, outbox } from './helpers/schema.ts';
import { expectedVersions, userUpdated, versionsByResource } from './helpers/events.ts';
import { IdempotentReader, streamMessageCount } from './helpers/stream.ts';
import { spawnChildRelay, type ChildRelay } from './helpers/child-relay.ts';

// Fault tests: a private nats-server that is stopped, restarted and outlived by crashing relays.

describeWithNatsAndPostgres('Outbox relay → NATS JetStream under faults [postgres]', () => {
  let nats: NatsServerHandle;
  let testDb: TestDatabase;
  let database: Database;
  let bus: NatsBus;
  const relays: OutboxRelay[] = [];
  const children: ChildRelay[] = [];

  const newRelay = () => {
    const r = new OutboxRelay({ database, table: outbox, bus, logger: silentLogger, backoff: { initialMs: 20, maxMs: 200 }, leaderRetryMs: 50 });
    relays.push(r);
    return r;
  };
  const write = (resourceId: string, version: number) =>
    database.db.transaction(async (tx) => enqueue(tx, outbox, [userUpdated(resourceId, version)]));

  beforeAll(async () => {
    nats = await startNatsServer();
    testDb = await createTestDatabase('ffgate_outbox');
    database = await openDatabase({ url: testDb.url });
    await migrateOutbox(database);
  });
  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
    await nats?.cleanup();
  });
  beforeEach(async () => {
    // every test starts from an empty outbox and an empty stream
    await database.db.execute(sql`truncate "obtest"."outbox"`);
    bus = await connectNatsBus({ url: nats.url, name: 'outbox-test', logger: silentLogger, publishTimeoutMs: 1000, reconnectTimeWaitMs: 100 });
    const spec = { ...Streams.identity, subjects: [...Streams.identity.subjects] };
    await bus.ensureStream(spec);
    await bus.connection.request('$JS.API.STREAM.PURGE.' + spec.name, '');
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).map((c) => c.kill()));
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await bus.close();
  });

  test('1,000 writes over 50 resources while NATS stops and restarts: exactly 1,000 in the stream, order kept', async () => {
    const relay = newRelay();
    await relay.start();
    let written = 0;
    const writers = Array.from({ length: 50 }, async (_, r) => {
      for (let v = 1; v <= 20; v++) {
        await write(`user-${r}`, v);
        written++;
      }
    });
    await waitFor(() => written >= 300, { message: '300 writes before the outage' });
    await nats.stop();
    await waitFor(() => written >= 700, { message: 'writes continue while NATS is down' });
    expect(await countRows(database, 'unsent')).toBeGreaterThan(0);
    await nats.restart();
    await Promise.all(writers);

    await waitFor(async () => (await countRows(database, 'unsent')) === 0, { timeoutMs: 30_000, message: 'outbox drained after restart' });
    expect(await streamMessageCount(nats.monitorPort)).toBe(1000);
    expect(relay.stats.failures).toBeGreaterThan(0);

    const reader = await IdempotentReader.start(bus);
    await waitFor(() => reader.applied.length === 1000, { message: 'consumer read the stream' });
    await reader.stop();
    expect(reader.skipped).toBe(0);
    const byResource = versionsByResource(reader.applied);
    expect(byResource.size).toBe(50);
    for (const versions of byResource.values()) expect(versions).toEqual(expectedVersions(20));
  });

  test('a relay killed after publishing and before marking sent: the next one republishes, de-dup keeps the stream exact', async () => {
    for (let v = 1; v <= 10; v++) for (let r = 0; r < 10; r++) await write(`crash-${r}`, v);

    const crashing = spawnChildRelay({ dbUrl: testDb.url, natsUrl: nats.url, mode: 'crash-after-publish' });
    children.push(crashing);
    expect(await crashing.exited).toBe('SIGKILL');
    expect(crashing.output()).toContain('crashing');
    expect(await countRows(database, 'unsent')).toBe(100); // published, never marked
    expect(await streamMessageCount(nats.monitorPort)).toBe(100);

    const relay = newRelay();
    await relay.start();
    await waitFor(async () => (await countRows(database, 'unsent')) === 0, { message: 'next relay marks all sent' });
    expect(relay.stats.duplicates).toBe(100);
    expect(await streamMessageCount(nats.monitorPort)).toBe(100);

    const reader = await IdempotentReader.start(bus);
    await waitFor(() => reader.applied.length === 100, { message: 'consumer read the stream' });
    await reader.stop();
    expect(reader.skipped).toBe(0);
    for (const versions of versionsByResource(reader.applied).values()) expect(versions).toEqual(expectedVersions(10));
  });

  test('two relays on one database: when the leader process dies, the other takes over and keeps publishing', async () => {
    const leader = spawnChildRelay({ dbUrl: testDb.url, natsUrl: nats.url, mode: 'normal' });
    children.push(leader);
    await waitFor(() => leader.output().includes('leader'), { message: `child becomes leader; output: ${leader.output()}` });

    const follower = newRelay();
    await follower.start();
    expect(follower.isLeader).toBe(false);

    for (let v = 1; v <= 5; v++) for (let r = 0; r < 10; r++) await write(`ha-${r}`, v);
    await waitFor(async () => (await countRows(database, 'unsent')) === 0, { message: 'leader child published' });
    expect(follower.stats.published).toBe(0);

    await leader.kill('SIGKILL');
    await waitFor(() => follower.isLeader, { message: 'follower takes over once the leader session is gone' });
    for (let v = 6; v <= 10; v++) for (let r = 0; r < 10; r++) await write(`ha-${r}`, v);
    await waitFor(async () => (await countRows(database, 'unsent')) === 0, { message: 'new leader published' });
    expect(follower.stats.published).toBe(50);
    expect(await streamMessageCount(nats.monitorPort)).toBe(100);

    const reader = await IdempotentReader.start(bus);
    await waitFor(() => reader.applied.length === 100, { message: 'consumer read the stream' });
    await reader.stop();
    for (const versions of versionsByResource(reader.applied).values()) expect(versions).toEqual(expectedVersions(10));
  });
});
