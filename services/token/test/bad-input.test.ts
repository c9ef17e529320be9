import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createMemoryBus, silentLogger, type MemoryBus } from '@ffgate/bus';
import { openDatabase, type Database } from '@ffgate/db';
import { ADMIN_TOKEN, basic, createClient, FakeIdp, mint, postForm, projected, runService, type RunningService } from './harness.ts';

/** Bad input on every endpoint: RFC 6749 §5.2 errors, 413 for big bodies, 429 after repeated failures. */
describe('token service: bad input', () => {
  let database: Database;
  let bus: MemoryBus;
  let running: RunningService;
  let client: { id: string; secret: string };
  let url: string;

  beforeAll(async () => {
    database = await openDatabase();
    bus = createMemoryBus({ logger: silentLogger });
    running = await runService({ database, bus, rateLimit: { perClient: { maxFailures: 5 }, perIp: { maxFailures: 40 } } });
    url = running.url;
    const idp = new FakeIdp(bus);
    await idp.create('u1');
    await projected(database, 'u1', 1);
    client = await createClient(url, { userId: 'u1' });
  });
  afterAll(async () => {
    await running.close();
    await bus.close();
    await database.close();
  });

  const token = (params: Record<string, string>, headers: Record<string, string> = {}) => postForm(`${url}/oauth2/token`, params, headers);
  const auth = () => ({ authorization: basic(client.id, client.secret) });

  test.each([
    ['no grant_type', {}, 400, 'invalid_request'],
    ['an unknown grant type', { grant_type: 'password', username: 'a', password: 'b' }, 400, 'unsupported_grant_type'],
    ['authorization_code', { grant_type: 'authorization_code', code: 'x' }, 400, 'unsupported_grant_type'],
    ['a foreign scope', { grant_type: 'client_credentials', scope: 'admin' }, 400, 'invalid_scope'],
    ['scim scope on a job client', { grant_type: 'client_credentials', scope: 'scim' }, 400, 'invalid_scope'],
    ['token exchange without subject_token', { grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange' }, 400, 'invalid_request'],
    [
      'token exchange with a bad subject_token_type',
      { grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', subject_token: 'a.b.c', subject_token_type: 'urn:x' },
      400,
      'invalid_request',
    ],
    [
      'token exchange of a token from an untrusted issuer',
      { grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', subject_token: 'not-a-jwt', subject_token_type: 'urn:ietf:params:oauth:token-type:jwt' },
      400,
      'invalid_grant',
    ],
  ])('/oauth2/token with %s', async (_name, params, status, error) => {
    const r = await token(params as Record<string, string>, auth());
    expect(r.status).toBe(status);
    expect(r.body.error).toBe(error);
    expect(typeof r.body.error_description).toBe('string');
    expect(r.headers.get('cache-control')).toBe('no-store');
  });

  test('a repeated parameter is invalid_request (RFC 6749 §3.2)', async () => {
    const res = await fetch(`${url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth() },
      body: 'grant_type=client_credentials&grant_type=client_credentials',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error).toBe('invalid_request');
  });

  test('a JSON body is invalid_request', async () => {
    const res = await fetch(`${url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth() }, body: '{"grant_type":"client_credentials"}' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error).toBe('invalid_request');
  });

  test('missing client authentication is invalid_client 401 with a Basic challenge', async () => {
    const r = await token({ grant_type: 'client_credentials' });
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('invalid_client');
    expect(r.headers.get('www-authenticate')).toMatch(/^Basic realm="ffgate"/);
  });

  test('client_secret_post works; using both methods at once is invalid_request', async () => {
    const post = await token({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret });
    expect(post.status).toBe(200);
    const both = await token({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret }, auth());
    expect(both.status).toBe(400);
    expect(both.body.error).toBe('invalid_request');
  });

  test('a malformed Basic header is invalid_client', async () => {
    const r = await token({ grant_type: 'client_credentials' }, { authorization: 'Basic !!!notbase64' });
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('invalid_client');
  });

  test('wrong secrets and unknown clients answer the same; repeated failures are rate-limited with 429', async () => {
    const limitedClient = await createClient(url, { userId: 'u1' }, 'limited');
    const wrong = await token({ grant_type: 'client_credentials' }, { authorization: basic(limitedClient.id, 'ffs_wrong') });
    const unknown = await token({ grant_type: 'client_credentials' }, { authorization: basic('ffc_doesnotexist0000000', 'ffs_wrong') });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);

    for (let i = 0; i < 4; i++) await token({ grant_type: 'client_credentials' }, { authorization: basic(limitedClient.id, `ffs_wrong${i}`) });
    // now blocked, even with the right secret
    const blocked = await token({ grant_type: 'client_credentials' }, { authorization: basic(limitedClient.id, limitedClient.secret) });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  test('an oversized body is 413', async () => {
    const r = await token({ grant_type: 'client_credentials', padding: 'x'.repeat(64 * 1024) }, auth());
    expect(r.status).toBe(413);
    expect(r.body.error).toBe('invalid_request');
    const adminBig = await fetch(`${url}/admin/v1/clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(64 * 1024), userId: 'u1' }),
    });
    expect(adminBig.status).toBe(413);
  });

  test('/oauth2/revoke: no client is 401, no token is invalid_request', async () => {
    expect((await postForm(`${url}/oauth2/revoke`, { token: 'x' })).status).toBe(401);
    const r = await postForm(`${url}/oauth2/revoke`, {}, auth());
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('invalid_request');
  });

  test('/oauth2/introspect: needs a client or the admin token; garbage is inactive; no token is invalid_request', async () => {
    expect((await postForm(`${url}/oauth2/introspect`, { token: 'x' })).status).toBe(401);
    expect((await postForm(`${url}/oauth2/introspect`, { token: 'x' }, { authorization: 'Bearer wrong-admin-token-000000' })).status).toBe(401);
    const garbage = await postForm(`${url}/oauth2/introspect`, { token: 'a.b.c' }, auth());
    expect(garbage).toMatchObject({ status: 200, body: { active: false } });
    const missing = await postForm(`${url}/oauth2/introspect`, {}, { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(missing.status).toBe(400);
    // a client may introspect with its own credentials
    const t = (await mint(url, client)).body.access_token;
    expect((await postForm(`${url}/oauth2/introspect`, { token: t }, auth())).body.active).toBe(true);
  });

  test('admin API: wrong token 401, bad bodies 400, wrong content type 415, unknown user 422, unknown id 404', async () => {
    const call = (method: string, path: string, init: { body?: string; type?: string; token?: string } = {}) =>
      fetch(`${url}/admin/v1/clients${path}`, {
        method,
        headers: { authorization: `Bearer ${init.token ?? ADMIN_TOKEN}`, ...(init.type ? { 'content-type': init.type } : {}) },
        body: init.body,
      });
    expect((await call('GET', '', { token: 'nope-nope-nope-nope' })).status).toBe(401);
    expect((await fetch(`${url}/admin/v1/clients`)).status).toBe(401);
    expect((await call('POST', '', { body: '{"name":"x"}', type: 'application/json' })).status).toBe(400);
    expect((await call('POST', '', { body: '{"name":"x","userId":"u1","extra":1}', type: 'application/json' })).status).toBe(400);
    expect((await call('POST', '', { body: '{broken', type: 'application/json' })).status).toBe(400);
    expect((await call('POST', '', { body: 'name=x', type: 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await call('POST', '', { body: '{"name":"x","userName":"nobody@example.com"}', type: 'application/json' })).status).toBe(422);
    expect((await call('GET', '/ffc_unknown')).status).toBe(404);
    expect((await call('POST', '/ffc_unknown/disable')).status).toBe(404);
    expect((await call('DELETE', '/ffc_unknown')).status).toBe(404);
  });

  test('failures from one address across many client ids are rate-limited per IP (runs last: it blocks 127.0.0.1)', async () => {
    let last = 0;
    for (let i = 0; i < 40 && last !== 429; i++) {
      last = (await token({ grant_type: 'client_credentials' }, { authorization: basic(`ffc_guess${i}aaaaaaaaaaaa`, 'ffs_x') })).status;
    }
    const blocked = await token({ grant_type: 'client_credentials' }, auth());
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toBe('slow_down');
  });

  test('discovery documents', async () => {
    const meta = await fetch(`${url}/.well-known/oauth-authorization-server`).then((r) => r.json());
    expect(meta).toMatchObject({
      issuer: running.service.issuer,
      token_endpoint: `${running.service.issuer}/oauth2/token`,
      jwks_uri: `${running.service.issuer}/.well-known/jwks.json`,
      grant_types_supported: ['client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange'],
    });
    const jwks = await fetch(`${url}/.well-known/jwks.json`).then((r) => r.json() as Promise<any>);
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(jwks.keys[0].d).toBeUndefined();
  });
});
