/**
 * The token service in its own process for the mint benchmark (so the load generator does not
 * share its event loop): PostgreSQL when reachable (else PGlite), in-process bus, N provisioned
 * users with one client each. Prints one JSON line `{ url, issuer, clients }`, then serves until
 * SIGTERM, when it drops its database.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createMemoryBus, silentLogger } from '@ffgate/bus';
import { identitySubject } from '@ffgate/contracts';
import { openDatabase } from '@ffgate/db';
import { createTestDatabase, hasPostgres, waitFor } from '@ffgate/testing';
import { sql } from 'drizzle-orm';
import { createTokenService } from '../src/index.ts';
import { userState } from '../test/harness.ts';

const users = Number(process.argv[2] ?? 32);
const ADMIN = 'bench-admin-token-0123456789';
const testDb = hasPostgres ? await createTestDatabase('ffgate_token_bench') : undefined;
const database = await openDatabase(testDb ? { url: testDb.url, poolSize: 20 } : {});
const bus = createMemoryBus({ logger: silentLogger });
const service = createTokenService({
  database,
  bus,
  logger: silentLogger,
  config: {
    issuer: 'http://token.bench',
    publicUrl: undefined,
    port: 0,
    keyEncryptionKey: 'bench-key-encryption-key-0123456789abcdef',
    policy: undefined,
    tokenTtlSeconds: 600,
    trustedIssuers: undefined,
    adminToken: ADMIN,
    nodeEnv: 'test',
    dataDir: '/nonexistent',
  },
});
await service.start();
const app = express();
app.set('etag', false);
app.use(service.router);
const server = app.listen(0, '127.0.0.1');
await new Promise<void>((r) => server.once('listening', () => r()));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

for (let i = 0; i < users; i++) {
  const id = `bench-${i}`;
  const event = { id: `ev-${i}`, type: 'identity.user.created', time: new Date().toISOString(), resourceId: id, version: 1, actor: 'bench', data: userState(id) };
  await bus.publish(identitySubject('identity.user.created', id), event);
}
await waitFor(async () => ((await database.db.execute(sql`select count(*)::int as n from "token"."users"`)) as any).rows[0].n === users, { timeoutMs: 60_000 });
const clients = [];
for (let i = 0; i < users; i++) {
  const res = await fetch(`${url}/admin/v1/clients`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `bench-${i}`, userId: `bench-${i}` }),
  });
  const body = (await res.json()) as { client_id: string; client_secret: string };
  clients.push({ id: body.client_id, secret: body.client_secret });
}
process.stdout.write(`${JSON.stringify({ url, issuer: service.issuer, database: database.kind, clients })}\n`);

process.once('SIGTERM', async () => {
  server.closeAllConnections();
  server.close();
  await service.stop();
  await bus.close();
  await database.close();
  await testDb?.drop();
  process.exit(0);
});
