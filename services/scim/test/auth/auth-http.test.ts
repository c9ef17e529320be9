import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq } from 'drizzle-orm';
import type { Database } from '@ffgate/db';
import { forEachDatabase } from '@ffgate/testing';
import { createConnectionsRepository, createMemoryConnectionsRepository } from '../../src/index.ts';
import { createIdentityStore, users } from '../../src/store/index.ts';
import { ADMIN_TOKEN, ENV_TOKEN, startApp, startOnDatabase, user, type Harness } from '../http/harness.ts';

const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

forEachDatabase('SCIM authentication and the admin API', (ctx) => {
  let h: Harness;
  let database: Database;
  beforeAll(async () => {
    database = await ctx.open();
    h = await startOnDatabase(database);
  });
  afterAll(async () => h?.close());

  describe('SCIM bearer tokens', () => {
    it('missing token → 401 SCIM error with WWW-Authenticate, on resources and discovery alike', async () => {
      for (const path of ['/Users', '/ServiceProviderConfig', '/Schemas']) {
        const res = await h.scim('GET', path, { token: null });
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="ffgate-scim"');
        expect(res.headers.get('content-type')).toBe('application/scim+json; charset=utf-8');
        expect(res.body).toEqual({ schemas: [ERROR_SCHEMA], status: '401', detail: expect.any(String) });
      }
    });

    it('wrong tokens → 401 with error="invalid_token": unknown id, wrong secret, garbage, other scheme', async () => {
      const [, id] = /^ffscim_([0-9a-f]+)_/.exec(h.token)!;
      const wrongSecret = `ffscim_${id}_${'B'.repeat(43)}`;
      const unknownId = `ffscim_${'f'.repeat(24)}_${h.token.slice(-43)}`;
      for (const token of [wrongSecret, unknownId, 'garbage', `${h.token}x`]) {
        const res = await h.scim('GET', '/Users', { token });
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="ffgate-scim", error="invalid_token"');
        expect(res.body.status).toBe('401');
      }
      const basic = await h.scim('GET', '/Users', { token: null, headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } });
      expect(basic.status).toBe(401);
    });

    it('a write before authentication is refused without parsing the body', async () => {
      const res = await h.scim('POST', '/Users', { token: null, raw: '{not json' });
      expect(res.status).toBe(401);
    });

    it('the connection name is the actor of writes; FFGATE_SCIM_TOKEN acts as connection `env`', async () => {
      const viaConnection = await h.scim('POST', '/Users', { body: user('auth.actor1') });
      const viaEnv = await h.scim('POST', '/Users', { body: user('auth.actor2'), token: ENV_TOKEN });
      expect(viaEnv.status).toBe(201);
      const createdBy = async (id: string) =>
        (await database.db.select({ createdBy: users.createdBy }).from(users).where(eq(users.id, id)))[0]?.createdBy;
      expect(await createdBy(viaConnection.body.id)).toMatch(/^okta-/);
      expect(await createdBy(viaEnv.body.id)).toBe('env');
    });

    it('revocation through the admin API takes effect on the next request', async () => {
      const created = await h.admin('POST', '/scim-connections', { body: { name: `entra-${Date.now()}` } });
      const token = created.body.token as string;
      expect((await h.scim('GET', '/Users?count=1', { token })).status).toBe(200);
      expect((await h.admin('DELETE', `/scim-connections/${created.body.id}`)).status).toBe(204);
      const after = await h.scim('GET', '/Users?count=1', { token });
      expect(after.status).toBe(401);
      expect(after.headers.get('www-authenticate')).toContain('Bearer realm="ffgate-scim"');
    });

    it('records last_used_at for a connection that made a request', async () => {
      const created = await h.admin('POST', '/scim-connections', { body: { name: `onelogin-${Date.now()}` } });
      expect((await h.admin('GET', '/scim-connections')).body.connections.find((c: { id: string }) => c.id === created.body.id).lastUsedAt).toBeNull();
      await h.scim('GET', '/ServiceProviderConfig', { token: created.body.token });
      const listed = (await h.admin('GET', '/scim-connections')).body.connections.find((c: { id: string }) => c.id === created.body.id);
      expect(new Date(listed.lastUsedAt).getTime()).toBeGreaterThanOrEqual(new Date(created.body.createdAt).getTime());
    });
  });

  describe('admin API', () => {
    it('creates a connection: 201 {id, name, token, createdAt}; the token has the documented format', async () => {
      const res = await h.admin('POST', '/scim-connections', { body: { name: 'okta-prod.eu_1' } });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), name: 'okta-prod.eu_1', token: expect.any(String), createdAt: expect.any(String) });
      expect(res.body.token).toMatch(new RegExp(`^ffscim_${res.body.id}_[A-Za-z0-9_-]{43}$`));
    });

    it('lists connections without tokens or hashes', async () => {
      const res = await h.admin('GET', '/scim-connections');
      expect(res.status).toBe(200);
      const names = res.body.connections.map((c: { name: string }) => c.name);
      expect(names).toContain('okta-prod.eu_1');
      expect(res.text).not.toMatch(/ffscim_|token|hash/i);
      for (const c of res.body.connections) expect(Object.keys(c).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'revokedAt']);
    });

    it('409 on a duplicate name, 400 on a bad or reserved name', async () => {
      await h.admin('POST', '/scim-connections', { body: { name: 'dup-name' } });
      const dup = await h.admin('POST', '/scim-connections', { body: { name: 'dup-name' } });
      expect(dup.status).toBe(409);
      expect(dup.body).toEqual({ error: 'name_taken', message: expect.any(String) });
      for (const name of ['', 'Upper', '-leading', 'has space', 'x'.repeat(64), 42, undefined, 'env']) {
        const res = await h.admin('POST', '/scim-connections', { body: { name } });
        expect({ name, status: res.status, error: res.body?.error }).toEqual({ name, status: 400, error: 'invalid_name' });
      }
    });

    it('revokes: 204, shown as revoked in the list; 404 for an unknown id', async () => {
      const created = await h.admin('POST', '/scim-connections', { body: { name: 'to-revoke' } });
      expect((await h.admin('DELETE', `/scim-connections/${created.body.id}`)).status).toBe(204);
      const listed = (await h.admin('GET', '/scim-connections')).body.connections.find((c: { id: string }) => c.id === created.body.id);
      expect(listed.revokedAt).toEqual(expect.any(String));
      const unknown = await h.admin('DELETE', '/scim-connections/does-not-exist');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toBe('not_found');
    });

    it('401 for a missing or wrong admin token (and a SCIM token is not an admin token)', async () => {
      for (const token of [null, 'wrong', h.token]) {
        const res = await h.admin('GET', '/scim-connections', { token });
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ error: 'unauthorized', message: expect.any(String) });
      }
    });

    it('the SCIM token created by the admin API is not accepted by the admin API and vice versa', async () => {
      expect((await h.scim('GET', '/Users', { token: ADMIN_TOKEN })).status).toBe(401);
    });
  });

  it('without FFGATE_ADMIN_TOKEN every admin route answers 503', async () => {
    const disabled = await startApp({
      store: createIdentityStore({ database }),
      connections: createConnectionsRepository(database),
      adminToken: undefined,
    });
    try {
      for (const [method, path] of [['GET', '/scim-connections'], ['POST', '/scim-connections'], ['DELETE', '/scim-connections/x']] as const) {
        const res = await disabled.admin(method, path, { ...(method === 'POST' ? { body: { name: 'x' } } : {}), token: 'anything' });
        expect(res.status).toBe(503);
        expect(res.body.error).toBe('admin API disabled: set FFGATE_ADMIN_TOKEN');
      }
    } finally {
      await disabled.close();
    }
  });
});

describe('SCIM authentication with the in-memory connections repository', () => {
  it('accepts its tokens and FFGATE_SCIM_TOKEN only', async () => {
    const connections = createMemoryConnectionsRepository();
    const { token } = await connections.create('memory');
    const app = await startApp({
      store: { get: async () => null } as never,
      connections,
      config: { scimToken: ENV_TOKEN },
    });
    try {
      expect((await app.scim('GET', '/ServiceProviderConfig', { token })).status).toBe(200);
      expect((await app.scim('GET', '/ServiceProviderConfig', { token: ENV_TOKEN })).status).toBe(200);
      expect((await app.scim('GET', '/ServiceProviderConfig', { token: `${ENV_TOKEN}0` })).status).toBe(401);
    } finally {
      await app.close();
    }
  });
});
