import { get } from 'node:http';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { connectNatsBus, silentLogger, type NatsBus } from '@ffgate/bus';
import { Streams } from '@ffgate/contracts';
import { openDatabase, type Database } from '@ffgate/db';
import { createTestDatabase, describeWithNats, describeWithPostgres, startNatsServer, waitFor, type NatsServerHandle, type TestDatabase } from '@ffgate/testing';
import { CORE_USER, PATCH_OP } from '../leniency/idp-fixtures.ts';
import { startE2E, type E2E, type IdentityEvent } from './harness.ts';

const USERS = 100;
const WRITES = 1000;
const WORKERS = 8;

/** JetStream's own count of the IDENTITY stream (monitoring endpoint), independent of any consumer */
function identityStreamMessages(monitorPort: number): Promise<number> {
  return new Promise((resolve, reject) => {
    get(`http://127.0.0.1:${monitorPort}/jsz?accounts=true&streams=true`, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        try {
          const accounts = (JSON.parse(text).account_details ?? []) as Array<{ stream_detail?: Array<{ name: string; state: { messages: number } }> }>;
          const stream = accounts.flatMap((a) => a.stream_detail ?? []).find((s) => s.name === Streams.identity.name);
          resolve(stream?.state.messages ?? 0);
        } catch (error) {
          reject(error);
        }
      });
    }).on('error', reject);
  });
}

describeWithPostgres('SCIM outbox under a NATS outage (PostgreSQL)', () => {
  describeWithNats('1,000 SCIM writes while NATS is stopped and restarted', () => {
    let nats: NatsServerHandle;
    let testDb: TestDatabase;
    let database: Database;
    let bus: NatsBus;
    let e: E2E;

    beforeAll(async () => {
      nats = await startNatsServer();
      testDb = await createTestDatabase('ffgate_h15_faults');
      database = await openDatabase({ url: testDb.url });
      bus = await connectNatsBus({ url: nats.url, name: 'scim-outbox-faults', logger: silentLogger, publishTimeoutMs: 1000, reconnectTimeWaitMs: 100 });
      e = await startE2E(database, { bus, subscribe: false });
    }, 60_000);

    afterAll(async () => {
      await e?.close();
      await bus?.close();
      await database?.close();
      await testDb?.drop();
      await nats?.cleanup();
    }, 60_000);

    it('every write answers 2xx during the outage, readiness stays ok, and the stream ends with exactly 1,000 events in per-resource version order', async () => {
      const userIds: string[] = [];
      const statuses: number[] = [];
      let done = 0;

      // write i (0-based): the first USERS create users, the rest PATCH them round-robin with a new title
      const write = async (i: number): Promise<void> => {
        if (i < USERS) {
          const res = await e.send('POST', '/Users', { body: { schemas: [CORE_USER], userName: `fault.${String(i).padStart(3, '0')}` } });
          statuses.push(res.status);
          userIds[i] = res.body?.id;
        } else {
          const id = userIds[i % USERS]!;
          const res = await e.send('PATCH', `/Users/${id}`, { body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: `title-${i}` }] } });
          statuses.push(res.status);
        }
        done++;
      };
      const run = async (from: number, to: number): Promise<void> => {
        let next = from;
        await Promise.all(
          Array.from({ length: WORKERS }, async () => {
            while (next < to) await write(next++);
          }),
        );
      };

      await run(0, USERS); // creates first: PATCHes need the ids
      await run(USERS, 300);

      await nats.stop();
      await waitFor(() => !bus.isConnected(), { message: 'bus still reports connected after NATS stopped' });
      const during = statuses.length;
      await run(300, 700);
      expect(statuses.slice(during).every((s) => s >= 200 && s < 300)).toBe(true);
      expect((await e.service.ready()).ok).toBe(true);
      // the outage was real: events of those writes are waiting in the outbox
      const unsent = (await database.db.execute(sql`select count(*)::int as n from scim.outbox where sent_at is null`)) as unknown as { rows: Array<{ n: number }> };
      expect(Number(unsent.rows[0]!.n)).toBeGreaterThan(0);

      await nats.restart();
      await run(700, WRITES);

      expect(done).toBe(WRITES);
      expect(statuses.filter((s) => s < 200 || s >= 300)).toEqual([]);

      await waitFor(async () => (await identityStreamMessages(nats.monitorPort)) >= WRITES, { timeoutMs: 90_000, intervalMs: 200, message: 'IDENTITY stream did not reach 1,000 events' });
      await e.settle();
      expect(await identityStreamMessages(nats.monitorPort)).toBe(WRITES);

      // read the stream back in order with a fresh consumer
      const received: Array<{ seq: number; event: IdentityEvent }> = [];
      const sub = await bus.consume<IdentityEvent>({ stream: Streams.identity.name, deliver: 'all' }, async (d) => {
        received.push({ seq: d.seq, event: d.event });
        return { kind: 'ack' };
      });
      await waitFor(() => received.length >= WRITES, { timeoutMs: 30_000, message: 'consumer did not receive 1,000 events' });
      await sub.stop();

      expect(received).toHaveLength(WRITES);
      expect(new Set(received.map((r) => r.event.id)).size).toBe(WRITES);
      const seqs = received.map((r) => r.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

      const lastVersion = new Map<string, number>();
      const outOfOrder: string[] = [];
      for (const { event } of received) {
        const previous = lastVersion.get(event.resourceId) ?? 0;
        if (event.version !== previous + 1) outOfOrder.push(`${event.resourceId}: ${previous} → ${event.version}`);
        lastVersion.set(event.resourceId, event.version);
      }
      expect(outOfOrder).toEqual([]);
      expect(lastVersion.size).toBe(USERS);
      expect([...lastVersion.values()].reduce((a, b) => a + b, 0)).toBe(WRITES);
      expect(received.filter((r) => r.event.type === 'identity.user.created')).toHaveLength(USERS);
    }, 180_000);
  });
});
