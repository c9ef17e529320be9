import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { propagation, type TextMapPropagator } from '@opentelemetry/api';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '@ffgate/db';
import { enqueue, outboxChannel } from '@ffgate/outbox';
import { waitFor } from '@ffgate/testing';
import { migrateOutbox, outbox } from './helpers/schema.ts';
import { userUpdated } from './helpers/events.ts';

// A stand-in for the W3C propagator an OpenTelemetry SDK registers: it proves enqueue stores
// whatever the active propagation injects (the SDK-backed path is covered end to end elsewhere).
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const fixedPropagator: TextMapPropagator = {
  inject: (_ctx, carrier, setter) => setter.set(carrier, 'traceparent', TRACEPARENT),
  extract: (ctx) => ctx,
  fields: () => ['traceparent'],
};

let database: Database;
beforeAll(async () => {
  database = await openDatabase();
  await migrateOutbox(database);
  propagation.setGlobalPropagator(fixedPropagator);
});
afterAll(async () => {
  propagation.disable();
  await database.close();
});

test('enqueue stores the active trace context in the row headers; explicit headers win', async () => {
  const a = userUpdated('t1', 1);
  const b = { ...userUpdated('t1', 2), headers: { traceparent: 'explicit', 'x-extra': '1' } };
  await database.db.transaction(async (tx) => enqueue(tx, outbox, [a, b]));
  const res = (await database.db.execute(sql`select id, headers from "obtest"."outbox" order by seq`)) as unknown as {
    rows: { id: string; headers: Record<string, string> }[];
  };
  expect(res.rows.map((r) => r.headers)).toEqual([{ traceparent: TRACEPARENT }, { traceparent: 'explicit', 'x-extra': '1' }]);
  expect(res.rows.map((r) => r.id)).toEqual([a.event.id, b.event.id]);
});

test('enqueue notifies the schema channel on commit', async () => {
  expect(outboxChannel('obtest')).toBe('ffgate_outbox_obtest');
  let notified = 0;
  const stop = await database.listen(outboxChannel('obtest'), () => notified++);
  await database.db.transaction(async (tx) => enqueue(tx, outbox, [userUpdated('t2', 1)]));
  await waitFor(() => notified === 1, { message: 'one NOTIFY per committed enqueue' });
  await enqueue(database.db, outbox, []); // nothing to write: no NOTIFY either
  await database.db.transaction(async (tx) => enqueue(tx, outbox, [userUpdated('t2', 2)]));
  await waitFor(() => notified === 2, { message: 'second NOTIFY' });
  await stop();
});
