import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { connectNatsBus, silentLogger, type NatsBus } from '@ffgate/bus';
import { Streams } from '@ffgate/contracts';
import { openDatabase, type Database } from '@ffgate/db';
import { createVerifier, feedRevocations, RevocationView, type RevocationFeed, type Verifier } from '@ffgate/verifier';
import { createTestDatabase, describeWithNatsAndPostgres, startNatsServer, waitFor, type NatsServerHandle, type TestDatabase } from '@ffgate/testing';
import { verifyChains } from '@ffgate/audit';
import { chainAsIngested, collectAudit } from './audit-helpers.ts';
import { createClient, decodePayload, FakeIdp, introspect, mint, projected, runService, type RunningService } from './harness.ts';

/**
 * The deployed shape: real PostgreSQL, a private nats-server, the IdP's events on IDENTITY as the
 * SCIM outbox publishes them, verifiers in other "processes" (own connections) fed by TOKENS.
 */
describeWithNatsAndPostgres('token service end to end [postgres + NATS]', () => {
  let nats: NatsServerHandle;
  let testDb: TestDatabase;
  let database: Database;
  const buses: NatsBus[] = [];
  const feeds: RevocationFeed[] = [];
  let idp: FakeIdp;
  let running: RunningService;
  let aliceToken: string;

  const bus = async (name: string) => {
    const b = await connectNatsBus({ url: nats.url, name, logger: silentLogger });
    buses.push(b);
    return b;
  };
  /** a verifier as the gateway runs it: JWKS over HTTP, revocations from TOKENS on its own connection */
  const startVerifier = async (name: string): Promise<{ verifier: Verifier; view: RevocationView }> => {
    const view = new RevocationView();
    feeds.push(await feedRevocations(await bus(name), view));
    return { verifier: createVerifier({ issuer: running.service.issuer, jwks: { url: `${running.url}/.well-known/jwks.json` }, revocations: view }), view };
  };
  const rejected = (v: Verifier, token: string) => v.verify(token).then(() => false, (e) => e.code === 'FFGATE_CRED_REVOKED');
  /** user-wide revocations published so far, by user */
  const userRevocations = async () =>
    ((await database.db.execute(sql`select payload->>'userId' as u from "token"."outbox" where payload ? 'revokedBefore' order by seq`)) as any).rows.map((r: { u: string }) => r.u) as string[];

  beforeAll(async () => {
    nats = await startNatsServer();
    testDb = await createTestDatabase('ffgate_token_e2e');
    database = await openDatabase({ url: testDb.url });
    const scimBus = await bus('scim');
    await scimBus.ensureStream({ ...Streams.identity, retention: 'limits' });
    idp = new FakeIdp(scimBus);
  });
  afterAll(async () => {
    await Promise.all(feeds.map((f) => f.stop()));
    await running?.close();
    for (const b of buses) await b.close();
    await database?.close();
    await testDb?.drop();
    await nats?.cleanup();
  });

  test('replay: a token service started after users were provisioned catches up from IDENTITY', async () => {
    await idp.create('alice');
    await idp.create('bob');
    await idp.update('bob', { title: 'Editor' });
    await idp.deactivate('bob');
    await idp.create('gone');
    await idp.delete('gone');

    running = await runService({ database, bus: await bus('token-1') });
    await projected(database, 'alice', 1);
    await projected(database, 'bob', 3);
    await projected(database, 'gone', 2);

    const alice = await createClient(running.url, { userName: 'ALICE@example.com' });
    const r = await mint(running.url, alice);
    expect(r.status).toBe(200);
    aliceToken = r.body.access_token;
    expect(decodePayload(r.body.access_token).sub).toBe('alice');

    const bob = await createClient(running.url, { userId: 'bob' }); // an inactive user's client mints nothing
    const refused = await mint(running.url, bob);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_grant');
    const unknown = await fetch(`${running.url}/admin/v1/clients`, {
      method: 'POST',
      headers: { authorization: 'Bearer admin-token-for-tests-0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', userId: 'gone' }),
    });
    expect(unknown.status).toBe(422);
  });

  test('deactivation: introspection inactive, mints refused, a verifier elsewhere rejects the old token', async () => {
    const { verifier } = await startVerifier('gateway-1');
    await idp.create('carol');
    await projected(database, 'carol', 1);
    const client = await createClient(running.url, { userId: 'carol' });
    const token = (await mint(running.url, client)).body.access_token as string;
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'carol' });

    await idp.deactivate('carol');
    await waitFor(() => rejected(verifier, token), { message: 'the verifier rejects the deactivated user' });
    // the early announcement may reach the verifier before the projection's transaction commits
    await waitFor(async () => (await introspect(running.url, token)).body.active === false, { message: 'introspection inactive once the projection committed' });
    expect((await introspect(running.url, token)).body).toEqual({ active: false });
    expect((await mint(running.url, client)).status).toBe(401);

    // reactivation: a new credential works, the old one stays dead
    await idp.reactivate('carol');
    await projected(database, 'carol', 3);
    const fresh = await mint(running.url, client);
    expect(fresh.status).toBe(200);
    await expect(verifier.verify(fresh.body.access_token)).resolves.toMatchObject({ sub: 'carol' });
    expect(await rejected(verifier, token)).toBe(true);
  });

  test('deletion and a department change that removes a profile, end to end', async () => {
    const { verifier } = await startVerifier('gateway-2');
    const broadcast = { employeeNumber: null, costCenter: null, organization: null, division: null, department: 'Broadcast', manager: null };
    await idp.create('dan');
    await idp.create('eve', { enterprise: broadcast });
    await projected(database, 'dan', 1);
    await projected(database, 'eve', 1);
    const dan = (await mint(running.url, await createClient(running.url, { userId: 'dan' }))).body.access_token as string;
    const eveClient = await createClient(running.url, { userId: 'eve' });
    const eve = (await mint(running.url, eveClient)).body.access_token as string;
    await verifier.verify(dan);
    await verifier.verify(eve);

    await idp.delete('dan');
    await idp.update('eve', { enterprise: { ...broadcast, department: 'Sales' } });
    await waitFor(() => rejected(verifier, dan), { message: 'deleted user rejected' });
    await waitFor(() => rejected(verifier, eve), { message: 'credential with a lost profile rejected' });
    expect((await introspect(running.url, eve)).body.active).toBe(false);
    const eveNow = await mint(running.url, eveClient);
    expect(decodePayload(eveNow.body.access_token).profiles).toEqual(['h264-720p']);
    await expect(verifier.verify(eveNow.body.access_token)).resolves.toMatchObject({ sub: 'eve' });
  });

  test('a verifier started after a revocation knows it (TOKENS is replayed)', async () => {
    await idp.create('fay');
    await projected(database, 'fay', 1);
    const token = (await mint(running.url, await createClient(running.url, { userId: 'fay' }))).body.access_token as string;
    await idp.deactivate('fay');
    await waitFor(async () => (await introspect(running.url, token)).body.active === false);
    await waitFor(async () => (await database.db.execute(sql`select count(*)::int as n from "token"."outbox" where sent_at is null`) as any).rows[0].n === 0, {
      message: 'revocation published',
    });

    const late = await startVerifier('late-transcoder');
    await waitFor(() => rejected(late.verifier, token), { message: 'the late verifier replays the revocation' });
  });

  test('restart: the durable projection resumes where it was and does not re-apply events (outbox path alone)', async () => {
    const { verifier } = await startVerifier('gateway-3');
    await expect(verifier.verify(aliceToken)).resolves.toMatchObject({ sub: 'alice' });
    await running.close();
    const before = await userRevocations();
    await idp.create('gil'); // while the token service is down
    await idp.deactivate('alice');

    // without the early announcement: the transactional outbox alone must carry the revocation
    running = await runService({ database, bus: await bus('token-2'), earlyRevocation: false });
    await projected(database, 'gil', 1);
    await projected(database, 'alice', 2);
    // exactly one new user revocation (alice); none re-emitted for bob, carol, dan, fay
    await waitFor(async () => (await userRevocations()).length === before.length + 1, { message: 'one new revocation event' });
    expect((await userRevocations()).slice(before.length)).toEqual(['alice']);
    await waitFor(() => rejected(verifier, aliceToken), { message: 'revocation delivered through the outbox' });
    const gil = await createClient(running.url, { userId: 'gil' });
    expect((await mint(running.url, gil)).status).toBe(200);
  });

  test('the shared audit trail on real NATS: every record once, valid, chaining as the gateway ingests it', async () => {
    const ingest = await collectAudit(await bus('audit-ingest'));
    try {
      const enqueued = async () =>
        ((await database.db.execute(sql`select count(*)::int as n from "token"."outbox" where subject like 'audit.%'`)) as any).rows[0].n as number;
      const expected = await enqueued();
      await waitFor(() => ingest.records.length >= expected, { message: 'every enqueued audit record on AUDIT' });
      expect(new Set(ingest.records.map((r) => r.id)).size).toBe(ingest.records.length);
      const alice = ingest.records.filter((r) => r.userId === 'alice');
      expect(alice.map((r) => r.action)).toEqual(expect.arrayContaining(['client.created', 'credential.issued', 'credential.revoked']));
      expect(alice.find((r) => r.action === 'credential.issued')).toMatchObject({ writer: 'token', userName: 'alice@example.com', jti: decodePayload(aliceToken).jti });
      expect(verifyChains(chainAsIngested(ingest.records))).toMatchObject({ ok: true });
    } finally {
      await ingest.stop();
    }
  });
});
