import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { verifyChains } from '@ffgate/audit';
import { createMemoryBus, silentLogger, type MemoryBus } from '@ffgate/bus';
import type { AuditRecordEvent } from '@ffgate/contracts';
import type { Database } from '@ffgate/db';
import { forEachDatabase, waitFor } from '@ffgate/testing';
import { chainAsIngested, collectAudit } from './audit-helpers.ts';
import { admin, basic, createClient, decodePayload, FakeIdp, mint, postForm, projected, runService, type RunningService } from './harness.ts';

forEachDatabase('token service → shared audit trail', (ctx) => {
  let database: Database;
  let bus: MemoryBus;
  let running: RunningService;
  let idp: FakeIdp;
  let audit: Awaited<ReturnType<typeof collectAudit>>;

  beforeAll(async () => {
    database = await ctx.open();
    bus = createMemoryBus({ logger: silentLogger });
    running = await runService({ database, bus });
    idp = new FakeIdp(bus);
    audit = await collectAudit(bus);
  });
  afterAll(async () => {
    await audit.stop();
    await running.close();
    await bus.close();
  });

  const of = (pred: (r: AuditRecordEvent) => boolean) => audit.records.filter(pred);
  const waitForRecords = (pred: (r: AuditRecordEvent) => boolean, count: number, message: string) =>
    waitFor(() => of(pred).length >= count, { message });

  async function provision(id: string) {
    await idp.create(id);
    await projected(database, id, idp.version(id));
    return createClient(running.url, { userName: `${id}@example.com` }, `pipeline of ${id}`);
  }

  test('client creation and a mint produce client.created and credential.issued, with user, client and jti', async () => {
    const client = await provision('ada');
    const r = await mint(running.url, client);
    expect(r.status).toBe(200);
    const jti = decodePayload(r.body.access_token).jti;

    await waitForRecords((x) => x.jti === jti, 1, 'credential.issued for the mint');
    const [created] = of((x) => x.action === 'client.created' && x.clientId === client.id);
    expect(created).toMatchObject({ writer: 'token', userId: 'ada', userName: 'ada@example.com', jti: null, details: { name: 'pipeline of ada', scope: 'job', actor: 'admin' } });
    const [issued] = of((x) => x.jti === jti);
    expect(issued).toMatchObject({
      type: 'audit.record',
      writer: 'token',
      action: 'credential.issued',
      userId: 'ada',
      userName: 'ada@example.com',
      clientId: client.id,
      jobId: null,
      details: { kind: 'job', grant: 'client_credentials', profiles: ['h264-720p'], queues: ['default'], actor: `client:${client.id}` },
    });
    expect(issued!.details.exp).toBe(new Date(decodePayload(r.body.access_token).exp * 1000).toISOString());
    expect(audit.subjects[audit.records.indexOf(issued!)]).toBe('audit.token.ada');
    // never a secret: neither the client secret nor the credential appears anywhere in the trail
    const trail = JSON.stringify(audit.records);
    expect(trail).not.toContain(client.secret);
    expect(trail).not.toContain(r.body.access_token);
  });

  test('RFC 7009 revoke produces credential.revoked for that jti', async () => {
    const client = await provision('bea');
    const r = await mint(running.url, client);
    const jti = decodePayload(r.body.access_token).jti;
    const revoke = await postForm(`${running.url}/oauth2/revoke`, { token: r.body.access_token }, { authorization: basic(client.id, client.secret) });
    expect(revoke.status).toBe(200);
    await waitForRecords((x) => x.jti === jti && x.action === 'credential.revoked', 1, 'credential.revoked after RFC 7009');
    const [revoked] = of((x) => x.jti === jti && x.action === 'credential.revoked');
    expect(revoked).toMatchObject({ userId: 'bea', userName: 'bea@example.com', clientId: client.id, details: { reason: 'client.revoked', actor: `client:${client.id}` } });
    expect(typeof revoked!.details.expiresAt).toBe('string');
  });

  test('deprovisioning: a user-wide revocation, one record per live credential, and the disabled client', async () => {
    const client = await provision('cyd');
    const jtis: string[] = [];
    for (let i = 0; i < 3; i++) jtis.push(decodePayload((await mint(running.url, client)).body.access_token).jti);
    await idp.deactivate('cyd');
    await projected(database, 'cyd', idp.version('cyd'));

    await waitForRecords((x) => x.userId === 'cyd' && x.action === 'client.disabled', 1, 'client.disabled after deactivation');
    await waitForRecords((x) => x.userId === 'cyd' && x.action === 'credential.revoked', 4, 'credential.revoked records after deactivation');
    const revoked = of((x) => x.userId === 'cyd' && x.action === 'credential.revoked');
    expect(revoked.filter((x) => x.jti !== null).map((x) => x.jti).sort()).toEqual([...jtis].sort());
    const [userWide] = revoked.filter((x) => x.jti === null);
    expect(userWide).toMatchObject({ userName: 'cyd@example.com', details: { scope: 'user', reason: 'user.deactivated', actor: 'idp:okta', credentials: 3, credentialRecords: 3 } });
    expect(of((x) => x.userId === 'cyd' && x.action === 'client.disabled')[0]).toMatchObject({ clientId: client.id, details: { reason: 'user.deactivated' } });
  });

  test('admin disable and delete of a client: client.disabled and its credentials revoked', async () => {
    const client = await provision('dan');
    const jti = decodePayload((await mint(running.url, client)).body.access_token).jti;
    expect((await admin(running.url, 'POST', `/${client.id}/disable`)).status).toBe(200);
    await waitForRecords((x) => x.jti === jti && x.action === 'credential.revoked', 1, 'credential.revoked after client disable');
    expect(of((x) => x.clientId === client.id && x.action === 'client.disabled')[0]).toMatchObject({ userId: 'dan', details: { reason: 'admin', actor: 'admin' } });

    const other = await createClient(running.url, { userName: 'dan@example.com' }, 'second');
    expect((await admin(running.url, 'DELETE', `/${other.id}`)).status).toBe(204);
    await waitForRecords((x) => x.clientId === other.id && x.action === 'client.disabled', 1, 'client.disabled for the deleted client');
    expect(of((x) => x.clientId === other.id && x.action === 'client.disabled')[0]!.details).toMatchObject({ deleted: true });
  });

  test('every token record is a valid event, and chained at ingest they verify; tampering breaks the chain', async () => {
    const outbox = (await database.db.execute(sql`select count(*)::int as n from "token"."outbox" where subject like 'audit.%'`)) as unknown as { rows: { n: number }[] };
    await waitFor(() => audit.records.length >= outbox.rows[0]!.n, { message: 'every enqueued audit record on the bus' });
    expect(new Set(audit.records.map((r) => r.writer))).toEqual(new Set(['token']));
    expect(new Set(audit.records.map((r) => r.id)).size).toBe(audit.records.length);

    const chain = chainAsIngested(audit.records);
    expect(verifyChains(chain)).toMatchObject({ ok: true, writers: [{ writer: 'token', records: chain.length, ok: true }] });
    const tampered = chain.map((r, i) => (i === 2 ? { ...r, userName: 'someone-else' } : r));
    expect(verifyChains(tampered).firstBroken).toMatchObject({ writer: 'token', id: chain[2]!.id, reason: 'hash_mismatch' });
  });
});

forEachDatabase('token service → shared audit trail, mass revocations', (ctx) => {
  let database: Database;
  let bus: MemoryBus;
  let running: RunningService;
  let idp: FakeIdp;
  const LIVE = 1205; // past the 1,000-record cap and past one 1,000-row write chunk

  beforeAll(async () => {
    database = await ctx.open();
    bus = createMemoryBus({ logger: silentLogger });
    running = await runService({ database, bus });
    idp = new FakeIdp(bus);
  });
  afterAll(async () => {
    await running.close();
    await bus.close();
  });

  const rows = async <T>(q: ReturnType<typeof sql>) => ((await database.db.execute(q)) as unknown as { rows: T[] }).rows;
  /** `LIVE` live credentials of `userId` through `clientId`, written as the recorder would */
  const seedCredentials = (userId: string, clientId: string) =>
    database.db.execute(sql`
      insert into "token"."credentials" (jti, user_id, client_id, kind, profiles, queues, issued_at, expires_at)
      select ${userId} || '-jti-' || g, ${userId}, ${clientId}, 'job', '["h264-720p"]'::jsonb, '["default"]'::jsonb, now(), now() + interval '10 minutes'
      from generate_series(1, ${LIVE}) g`);
  const sharedFor = (userId: string) =>
    rows<{ action: string; jti: string | null; details: Record<string, unknown> }>(
      sql`select payload->>'action' as action, payload->>'jti' as jti, payload->'details' as details from "token"."outbox" where subject = ${`audit.token.${userId}`} order by seq`,
    );

  test('deprovisioning a user with more live credentials than the cap: every local row and a bounded shared trail', async () => {
    await idp.create('max');
    await projected(database, 'max', idp.version('max'));
    const client = await createClient(running.url, { userName: 'max@example.com' });
    await seedCredentials('max', client.id);
    await idp.delete('max');
    await projected(database, 'max', idp.version('max'));

    const local = await rows<{ n: number }>(sql`select count(*)::int as n from "token"."audit" where user_id = 'max' and action = 'credential.revoked'`);
    expect(local[0]!.n).toBe(LIVE);
    const shared = (await sharedFor('max')).filter((r) => r.action === 'credential.revoked');
    expect(shared.filter((r) => r.jti !== null)).toHaveLength(1000);
    expect(shared.filter((r) => r.jti === null).map((r) => r.details)).toEqual([
      expect.objectContaining({ scope: 'user', reason: 'user.deleted', credentials: LIVE, credentialRecords: 1000 }),
    ]);
    // the user-wide token.revoked event still goes out (the per-jti ones are capped as before)
    const revocations = await rows<{ n: number }>(sql`select count(*)::int as n from "token"."outbox" where subject like 'token.revoked.%' and payload->>'userId' = 'max'`);
    expect(revocations[0]!.n).toBe(1);
  });

  test('disabling a client with more live credentials than the cap: a record per credential up to it, then a summary', async () => {
    await idp.create('mia');
    await projected(database, 'mia', idp.version('mia'));
    const client = await createClient(running.url, { userName: 'mia@example.com' });
    await seedCredentials('mia', client.id);
    expect((await admin(running.url, 'POST', `/${client.id}/disable`)).status).toBe(200);

    const shared = (await sharedFor('mia')).filter((r) => r.action === 'credential.revoked');
    expect(shared.filter((r) => r.jti !== null)).toHaveLength(1000);
    expect(shared.filter((r) => r.jti === null).map((r) => r.details)).toEqual([
      expect.objectContaining({ scope: 'summary', reason: 'client.revoked', actor: 'admin', credentialsWithoutRecord: LIVE - 1000 }),
    ]);
    // every credential is revoked by jti on TOKENS (no user-wide event covers a client disable)
    const revocations = await rows<{ n: number }>(sql`select count(*)::int as n from "token"."outbox" where subject like 'token.revoked.%' and payload->>'userId' = 'mia'`);
    expect(revocations[0]!.n).toBe(LIVE);
  });
});

forEachDatabase('token service → shared audit trail, atomicity', (ctx) => {
  let database: Database;
  beforeAll(async () => {
    database = await ctx.open();
    const { migrateToken } = await import('../src/store/migrations.ts');
    await migrateToken(database);
  });

  test('a rolled-back change leaves neither its audit row nor its shared record', async () => {
    const { writeAudit } = await import('../src/store/audit.ts');
    const count = async (db: Pick<Database['db'], 'execute'> = database.db) =>
      ((await db.execute(sql`select (select count(*) from "token"."audit")::int + (select count(*) from "token"."outbox")::int as n`)) as unknown as { rows: { n: number }[] }).rows[0]!.n;
    const before = await count();
    await expect(
      database.db.transaction(async (tx) => {
        await writeAudit(tx, [{ action: 'client.created', clientId: 'ffc_rollback', reason: 'job', actor: 'admin' }]);
        expect(await count(tx)).toBe(before + 2); // both written, in the transaction
        throw new Error('the change fails after its audit row');
      }),
    ).rejects.toThrow('the change fails');
    expect(await count()).toBe(before);
  });
});
