import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createMemoryBus, silentLogger, type MemoryBus } from '@ffgate/bus';
import type { Database } from '@ffgate/db';
import { createVerifier, feedRevocations, RevocationView, type RevocationFeed, type Verifier } from '@ffgate/verifier';
import { forEachDatabase, waitFor } from '@ffgate/testing';
import { basic, createClient, decodePayload, FakeIdp, introspect, mint, postForm, projected, runService, type RunningService } from './harness.ts';

/**
 * Deprovisioning end to end, in-process bus: identity events as the SCIM service publishes them →
 * projection → mint / introspect / verifier fed by `token.revoked` over the bus and keys from JWKS.
 */
forEachDatabase('token service flows', (ctx) => {
  let database: Database;
  let bus: MemoryBus;
  let running: RunningService;
  let idp: FakeIdp;
  let view: RevocationView;
  let feed: RevocationFeed;
  let verifier: Verifier;

  beforeAll(async () => {
    database = await ctx.open();
    bus = createMemoryBus({ logger: silentLogger });
    running = await runService({ database, bus });
    idp = new FakeIdp(bus);
    view = new RevocationView();
    feed = await feedRevocations(bus, view);
    verifier = createVerifier({ issuer: running.service.issuer, jwks: { url: `${running.url}/.well-known/jwks.json` }, revocations: view });
  });
  afterAll(async () => {
    await feed.stop();
    await running.close();
    await bus.close();
  });

  async function provision(id: string, overrides = {}) {
    await idp.create(id, overrides);
    await projected(database, id, idp.version(id));
    return createClient(running.url, { userName: `${id}@example.com` });
  }

  test('a provisioned active user gets a job credential the verifier accepts', async () => {
    const client = await provision('alice');
    const r = await mint(running.url, client);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.body).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: 'job' });
    const claims = await verifier.verify(r.body.access_token);
    expect(claims).toMatchObject({ iss: running.service.issuer, sub: 'alice', aud: 'ffgate', client_id: client.id, profiles: ['h264-720p'], queues: ['default'] });
    expect(claims.exp - claims.iat).toBe(600);
    const header = JSON.parse(Buffer.from(r.body.access_token.split('.')[0], 'base64url').toString());
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'JWT' });
    expect(typeof header.kid).toBe('string');
    const intro = await introspect(running.url, r.body.access_token);
    expect(intro.body).toMatchObject({ active: true, sub: 'alice', jti: claims.jti, client_id: client.id });
  });

  test('department Broadcast and group Editors widen the roles', async () => {
    const client = await provision('bob', {
      enterprise: { employeeNumber: null, costCenter: null, organization: null, division: null, department: 'broadcast', manager: null },
      groups: [{ id: 'g1', displayName: 'Editors' }],
    });
    const claims = decodePayload((await mint(running.url, client)).body.access_token);
    expect(claims.profiles).toEqual(['audio-aac', 'h264-1080p', 'h264-720p', 'hevc-1080p']);
    expect(claims.queues).toEqual(['broadcast', 'default']);
  });

  test('deactivation: introspection inactive, new mints refused, verifier rejects the old token, client disabled', async () => {
    const client = await provision('carol');
    const token = (await mint(running.url, client)).body.access_token as string;
    await verifier.verify(token);

    await idp.deactivate('carol');
    await waitFor(async () => (await introspect(running.url, token)).body.active === false, { message: 'introspection turns inactive' });
    await waitFor(() => verifier.verify(token).then(() => false, (e) => e.code === 'FFGATE_CRED_REVOKED'), { message: 'verifier rejects' });

    const again = await mint(running.url, client);
    expect(again.status).toBe(401); // the user's clients are disabled with them
    expect(again.body.error).toBe('invalid_client');
    const listed = await fetch(`${running.url}/admin/v1/clients/${client.id}`, { headers: { authorization: 'Bearer admin-token-for-tests-0123456789' } }).then((r) => r.json());
    expect(listed).toMatchObject({ disabled_reason: 'user.deactivated' });
  });

  test('a credential minted by a replica whose clock runs ahead still dies with the user (per-jti events)', async () => {
    const ahead = await runService({ database, bus, now: () => Date.now() + 3000 });
    try {
      const client = await provision('skew');
      const token = (await mint(ahead.url, client)).body.access_token as string;
      await verifier.verify(token);
      await idp.deactivate('skew');
      await waitFor(() => verifier.verify(token).then(() => false, (e) => e.code === 'FFGATE_CRED_REVOKED'), { message: 'rejected despite the skew' });
    } finally {
      await ahead.close();
    }
  });

  test('reactivation: new credentials can be minted, the old ones stay dead', async () => {
    const client = await provision('dave');
    const old = (await mint(running.url, client)).body.access_token as string;
    await idp.deactivate('dave');
    await projected(database, 'dave', idp.version('dave'));
    await idp.reactivate('dave');
    await projected(database, 'dave', idp.version('dave'));

    const fresh = await mint(running.url, client);
    expect(fresh.status).toBe(200);
    await waitFor(() => verifier.verify(old).then(() => false, (e) => e.code === 'FFGATE_CRED_REVOKED'));
    await expect(verifier.verify(fresh.body.access_token)).resolves.toMatchObject({ sub: 'dave' });
    expect((await introspect(running.url, old)).body.active).toBe(false);
    expect((await introspect(running.url, fresh.body.access_token)).body.active).toBe(true);
  });

  test('a client the admin disabled stays disabled when its user is reactivated', async () => {
    const client = await provision('nina');
    const keep = await createClient(running.url, { userId: 'nina' }, 'kept');
    await idp.deactivate('nina');
    await projected(database, 'nina', idp.version('nina'));
    const res = await fetch(`${running.url}/admin/v1/clients/${client.id}/disable`, { method: 'POST', headers: { authorization: 'Bearer admin-token-for-tests-0123456789' } });
    expect(((await res.json()) as any).disabled_reason).toBe('admin');
    await idp.reactivate('nina');
    await projected(database, 'nina', idp.version('nina'));
    expect((await mint(running.url, client)).status).toBe(401);
    expect((await mint(running.url, keep)).status).toBe(200);
  });

  test('deletion revokes like deactivation, and the user stays unknown', async () => {
    const client = await provision('erin');
    const token = (await mint(running.url, client)).body.access_token as string;
    await idp.delete('erin');
    await waitFor(async () => (await introspect(running.url, token)).body.active === false);
    await waitFor(() => verifier.verify(token).then(() => false, (e) => e.code === 'FFGATE_CRED_REVOKED'));
    expect((await mint(running.url, client)).status).toBe(401);
    const create = await fetch(`${running.url}/admin/v1/clients`, {
      method: 'POST',
      headers: { authorization: 'Bearer admin-token-for-tests-0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', userId: 'erin' }),
    });
    expect(create.status).toBe(422);
  });

  test('a department change that takes a profile away revokes credentials carrying it, not the others', async () => {
    const broadcast = { employeeNumber: null, costCenter: null, organization: null, division: null, department: 'Broadcast', manager: null };
    const client = await provision('frank', { enterprise: broadcast });
    const token = (await mint(running.url, client)).body.access_token as string;
    expect(decodePayload(token).profiles).toContain('hevc-1080p');

    await idp.update('frank', { enterprise: { ...broadcast, department: 'Finance' } });
    await waitFor(async () => (await introspect(running.url, token)).body.active === false);
    await waitFor(() => verifier.verify(token).then(() => false, (e) => e.code === 'FFGATE_CRED_REVOKED'));

    const fresh = await mint(running.url, client);
    expect(fresh.status).toBe(200);
    expect(decodePayload(fresh.body.access_token).profiles).toEqual(['h264-720p']);
    await expect(verifier.verify(fresh.body.access_token)).resolves.toMatchObject({ sub: 'frank' });

    // an attribute change that takes nothing away revokes nothing
    await idp.update('frank', { title: 'Producer' });
    await projected(database, 'frank', idp.version('frank'));
    expect((await introspect(running.url, fresh.body.access_token)).body.active).toBe(true);
  });

  test('RFC 7009: a client revokes its own token; another client cannot revoke it', async () => {
    const client = await provision('gina');
    const other = await createClient(running.url, { userName: 'gina@example.com' }, 'other');
    const token = (await mint(running.url, client)).body.access_token as string;

    const foreign = await postForm(`${running.url}/oauth2/revoke`, { token }, { authorization: basic(other.id, other.secret) });
    expect(foreign.status).toBe(200);
    expect((await introspect(running.url, token)).body.active).toBe(true);

    const own = await postForm(`${running.url}/oauth2/revoke`, { token, token_type_hint: 'access_token' }, { authorization: basic(client.id, client.secret) });
    expect(own.status).toBe(200);
    expect((await introspect(running.url, token)).body.active).toBe(false);
    await waitFor(() => verifier.verify(token).then(() => false, (e) => e.code === 'FFGATE_CRED_REVOKED'));
    // an unknown token is answered 200 too (RFC 7009 §2.2)
    expect((await postForm(`${running.url}/oauth2/revoke`, { token: 'garbage' }, { authorization: basic(client.id, client.secret) })).status).toBe(200);
  });

  test('a disabled client cannot mint and its credentials are revoked; a deleted one is gone', async () => {
    const client = await provision('hank');
    const token = (await mint(running.url, client)).body.access_token as string;
    const disabled = await fetch(`${running.url}/admin/v1/clients/${client.id}/disable`, { method: 'POST', headers: { authorization: 'Bearer admin-token-for-tests-0123456789' } });
    expect(disabled.status).toBe(200);
    expect((await mint(running.url, client)).status).toBe(401);
    expect((await introspect(running.url, token)).body.active).toBe(false);
    const del = await fetch(`${running.url}/admin/v1/clients/${client.id}`, { method: 'DELETE', headers: { authorization: 'Bearer admin-token-for-tests-0123456789' } });
    expect(del.status).toBe(204);
    const list = await fetch(`${running.url}/admin/v1/clients`, { headers: { authorization: 'Bearer admin-token-for-tests-0123456789' } }).then((r) => r.json() as Promise<any>);
    expect(list.clients.map((c: { client_id: string }) => c.client_id)).not.toContain(client.id);
    expect(JSON.stringify(list)).not.toMatch(/secret/);
  });

  test('every issue and revocation is in the audit trail', async () => {
    const client = await provision('ivan');
    const token = (await mint(running.url, client)).body.access_token as string;
    const jti = decodePayload(token).jti;
    await idp.deactivate('ivan');
    await waitFor(async () => (await introspect(running.url, token)).body.active === false);
    const { sql } = await import('drizzle-orm');
    const r = await database.db.execute(sql`select action, user_id, client_id, jti, reason, actor from "token"."audit" where user_id = 'ivan' order by id`);
    const rows = (r as unknown as { rows: Record<string, string>[] }).rows;
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'client.created', client_id: client.id, actor: 'admin' }),
        expect.objectContaining({ action: 'credential.issued', jti, client_id: client.id }),
        expect.objectContaining({ action: 'user.revoked', reason: 'user.deactivated', actor: 'idp:okta' }),
        expect.objectContaining({ action: 'credential.revoked', jti, reason: 'user.deactivated' }),
        expect.objectContaining({ action: 'client.disabled', client_id: client.id, reason: 'user.deactivated' }),
      ]),
    );
  });

  test('replayed events are ignored (idempotent by resource and version)', async () => {
    await provision('judy');
    const before = await database.db.execute((await import('drizzle-orm')).sql`select count(*)::int as n from "token"."outbox"`);
    // the same version again, as a redelivery would bring it
    const state = idp.states.get('judy')!;
    const event = { id: 'dup-1', type: 'identity.user.deactivated', time: new Date().toISOString(), resourceId: 'judy', version: 1, actor: 'okta', data: { ...state, active: false } };
    await bus.publish('identity.user.deactivated.judy', event);
    await idp.update('judy', { title: 'x' }); // a later event proves the stale one was processed first
    await projected(database, 'judy', idp.version('judy'));
    const after = await database.db.execute((await import('drizzle-orm')).sql`select count(*)::int as n, bool_and(true) from "token"."outbox"`);
    expect((after as any).rows[0].n).toBe((before as any).rows[0].n);
    const client = await createClient(running.url, { userId: 'judy' });
    expect((await mint(running.url, client)).status).toBe(200);
  });
});

describe('test harness sanity', () => {
  test('basic() encodes per RFC 6749 §2.3.1', () => {
    expect(Buffer.from(basic('a:b', 'c d').slice(6), 'base64').toString()).toBe('a%3Ab:c%20d');
  });
});
