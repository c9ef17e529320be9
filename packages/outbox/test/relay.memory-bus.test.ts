import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { Streams } from '@ffgate/contracts';
import { ack, createMemoryBus, silentLogger, type MemoryBus, type Subscription } from '@ffgate/bus';
import type { Database } from '@ffgate/db';
import { enqueue, OutboxRelay } from '@ffgate/outbox';
import { forEachDatabase, waitFor } from '@ffgate/testing';
import { countRows, migrateOutbox, outbox } from './helpers/schema.ts';
import { expectedVersions, userUpdated, versionsByResource, type ReceivedEvent } from './helpers/events.ts';

const RESOURCES = 20;
const VERSIONS = 10;

forEachDatabase('Outbox relay → in-process bus', ({ open }) => {
  let database: Database;
  let bus: MemoryBus;
  let relay: OutboxRelay;
  let subscription: Subscription;
  const received: (ReceivedEvent & { traceparent?: string })[] = [];

  beforeAll(async () => {
    database = await open();
    await migrateOutbox(database);
    bus = createMemoryBus({ logger: silentLogger });
    await bus.ensureStream({ ...Streams.identity, subjects: [...Streams.identity.subjects] });
    subscription = await bus.consume<ReceivedEvent>({ stream: Streams.identity.name, deliver: 'all' }, async (d) => {
      received.push({ id: d.event.id, resourceId: d.event.resourceId, version: d.event.version });
      return ack;
    });
    relay = new OutboxRelay({ database, table: outbox, bus, logger: silentLogger });
    await relay.start();
  });
  afterAll(async () => {
    await relay?.stop();
    await subscription?.stop();
    await bus?.close();
    await database?.close();
  });

  test('concurrent writers: every event delivered once, per-resource order kept', async () => {
    // one writer per resource (as a resource's row lock would serialize them), all resources at once
    await Promise.all(
      Array.from({ length: RESOURCES }, async (_, r) => {
        for (let v = 1; v <= VERSIONS; v++) {
          await database.db.transaction(async (tx) => enqueue(tx, outbox, [userUpdated(`user-${r}`, v)]));
        }
      }),
    );
    await waitFor(() => received.length >= RESOURCES * VERSIONS, { message: 'all events delivered' });
    expect(received).toHaveLength(RESOURCES * VERSIONS);
    expect(new Set(received.map((e) => e.id)).size).toBe(RESOURCES * VERSIONS);
    const byResource = versionsByResource(received);
    expect(byResource.size).toBe(RESOURCES);
    for (const versions of byResource.values()) expect(versions).toEqual(expectedVersions(VERSIONS));
    await waitFor(async () => (await countRows(database, 'unsent')) === 0, { message: 'all rows marked sent' });
    expect(relay.stats.published).toBe(RESOURCES * VERSIONS);
    expect(relay.stats.duplicates).toBe(0);
  });
});
