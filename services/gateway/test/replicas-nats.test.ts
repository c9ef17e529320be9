import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { connectNatsBus, silentLogger, type Bus } from '@ffgate/bus';
import { openDatabase, type Database } from '@ffgate/db';
import { createTestDatabase, describeWithNats, describeWithPostgres, FakeIdp, startNatsServer, waitFor, type NatsServerHandle, type TestDatabase } from '@ffgate/testing';
import { sql } from 'drizzle-orm';
import { ADMIN_TOKEN, api, rows, waitForUser, FakeWorkers, Keys, runGateway, spec, type RunningGateway } from './harness.ts';

const POLICY = JSON.stringify({ version: 1, defaults: { profiles: ['h264-720p'], queues: ['default'], maxRunning: 2, maxQueued: 100 }, rules: [] });

describeWithPostgres('gateway replicas (PostgreSQL, NATS)', () => {
  describeWithNats('two gateways on one database and one NATS', () => {
    let nats: NatsServerHandle;
    let testDb: TestDatabase;
    const databases: Database[] = [];
    const buses: Bus[] = [];
    const gateways: RunningGateway[] = [];
    let keys: Keys;
    let workers: FakeWorkers;

    beforeAll(async () => {
      nats = await startNatsServer();
      testDb = await createTestDatabase('gw_replicas');
      keys = await Keys.create();
      for (let i = 0; i < 2; i++) {
        const database = await openDatabase({ url: testDb.url });
        const bus = await connectNatsBus({ url: nats.url, name: `gw-${i}`, logger: silentLogger });
        databases.push(database);
        buses.push(bus);
        gateways.push(await runGateway({ database, bus, keys, config: { policy: POLICY } }));
      }
      workers = new FakeWorkers(buses[0]);
      await workers.start(['default']);
    }, 60_000);

    afterAll(async () => {
      await workers?.stop();
      for (const g of gateways) await g.close();
      for (const b of buses) await b.close();
      for (const d of databases) await d.close();
      await testDb?.drop();
      await nats?.cleanup();
    });

    test('maxRunning holds across replicas: concurrent submits through both, jobs wait and are dispatched as others end', async () => {
      const idp = new FakeIdp(buses[1]);
      const user = randomUUID();
      await idp.create(user);
      await waitForUser(databases[0], user);
      const token = await keys.mint(user);
      const submitted = await Promise.all(
        Array.from({ length: 8 }, (_, i) => api(gateways[i % 2].url, 'POST', '/v1/jobs', { token, body: spec() })),
      );
      expect(submitted.map((r) => r.status)).toEqual(Array(8).fill(202));
      const ids = new Set(submitted.map((r) => r.body.id as string));
      const finished = new Set<string>();
      let maxInFlight = 0;
      while (finished.size < ids.size) {
        await waitFor(() => workers.dispatched.filter((d) => ids.has(d.jobId) && !finished.has(d.jobId)).length > 0, { timeoutMs: 15_000 });
        // give any wrongly extra dispatch the chance to show up before counting
        await gateways[0].service.sweep();
        await gateways[1].service.sweep();
        const inFlight = workers.dispatched.filter((d) => ids.has(d.jobId) && !finished.has(d.jobId));
        maxInFlight = Math.max(maxInFlight, new Set(inFlight.map((d) => d.jobId)).size);
        // the database agrees: never more than maxRunning dispatched and unfinished
        const [{ n }] = await rows<{ n: number }>(
          databases[1],
          sql`select count(*)::int as n from gateway.jobs where owner_id = ${user} and dispatched_at is not null and status in ('queued', 'running')`,
        );
        expect(n).toBeLessThanOrEqual(2);
        const next = inFlight[0];
        finished.add(next.jobId);
        await workers.report(next.jobId, 'succeeded');
        await waitFor(async () => (await api(gateways[1].url, 'GET', `/v1/jobs/${next.jobId}`, { token })).body.status === 'succeeded', { timeoutMs: 10_000 });
      }
      expect(maxInFlight).toBe(2);
      // every job was dispatched exactly once
      const dispatchedIds = workers.dispatched.filter((d) => ids.has(d.jobId)).map((d) => d.jobId);
      expect(dispatchedIds.sort()).toEqual([...ids].sort());
      const list = await api(gateways[0].url, 'GET', '/v1/jobs?status=succeeded&limit=100', { token });
      expect(list.body.items).toHaveLength(8);
    }, 90_000);

    test('audit records written through both replicas form one verified chain per writer', async () => {
      const gatewayRecords = async () => {
        const verify = await api(gateways[0].url, 'GET', '/admin/v1/audit/verify', { token: ADMIN_TOKEN });
        return verify.body.writers.find((w: { writer: string }) => w.writer === 'gateway')?.records ?? 0;
      };
      await waitFor(async () => (await gatewayRecords()) >= 8, { timeoutMs: 10_000 });
      const verify = await api(gateways[1].url, 'GET', '/admin/v1/audit/verify', { token: ADMIN_TOKEN });
      expect(verify.body.ok).toBe(true);
    });
  });
});
