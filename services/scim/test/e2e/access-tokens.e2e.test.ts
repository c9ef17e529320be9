import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { Database } from '@ffgate/db';
import { forEachDatabase } from '@ffgate/testing';
import { createJwksScimTokenVerifier, SCIM_AUDIENCE, type AccessTokenVerifier } from '../../src/index.ts';
import { CORE_USER, ENV_TOKEN, startOnDatabase, type Harness } from '../http/harness.ts';

const ISSUER = 'https://id.example.test';

interface Keys {
  privateKey: CryptoKey;
  jwk: JWK;
}

async function newKeys(kid: string): Promise<Keys> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' } };
}

/** what services/token mints for an IdP connection client (credentials/issue.ts) */
function mint(keys: Keys, claims: Record<string, unknown> = {}, options: { aud?: string; iss?: string; exp?: number } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ client_id: 'okta-oauth', scope: 'scim', ...claims })
    .setProtectedHeader({ alg: 'EdDSA', kid: keys.jwk.kid!, typ: 'JWT' })
    .setIssuer(options.iss ?? ISSUER)
    .setSubject('okta-oauth')
    .setAudience(options.aud ?? SCIM_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(options.exp ?? now + 300)
    .setJti(Math.random().toString(36).slice(2))
    .sign(keys.privateKey);
}

forEachDatabase('SCIM accepts OAuth access tokens (scope scim) next to static bearer tokens', (ctx) => {
  let h: Harness;
  let database: Database;
  let keys: Keys;
  let verifier: jest.Mock<AccessTokenVerifier>;

  beforeAll(async () => {
    keys = await newKeys('k1');
    const jwks = createJwksScimTokenVerifier({ tokenUrl: 'http://unused.invalid', issuer: ISSUER, keys: createLocalJWKSet({ keys: [keys.jwk] }) });
    verifier = jest.fn<AccessTokenVerifier>((token) => jwks(token));
    database = await ctx.open();
    h = await startOnDatabase(database, { accessTokenVerifier: verifier });
  });
  afterAll(async () => h?.close());

  const createdBy = async (id: string) => {
    const result = (await database.db.execute(sql`select created_by from scim.users where id = ${id}`)) as unknown as { rows: Array<{ created_by: string }> };
    return result.rows[0]!.created_by;
  };

  it('a token-service access token authenticates; its client becomes the actor of the write', async () => {
    const res = await h.scim('POST', '/Users', { body: { schemas: [CORE_USER], userName: 'oauth.user' }, token: await mint(keys) });
    expect(res.status).toBe(201);
    expect(await createdBy(res.body.id)).toBe('okta-oauth');
  });

  it('ffscim_ connection tokens and the static env token still work and never reach the access-token verifier', async () => {
    verifier.mockClear();
    expect((await h.scim('GET', '/Users')).status).toBe(200);
    expect((await h.scim('GET', '/Users', { token: ENV_TOKEN })).status).toBe(200);
    expect((await h.scim('GET', '/Users', { token: 'ffscim_0123_wrong' })).status).toBe(401);
    expect(verifier).not.toHaveBeenCalled();
  });

  it.each([
    ['another audience', () => mint(keys, {}, { aud: 'ffgate-jobs' })],
    ['another issuer', () => mint(keys, {}, { iss: 'https://evil.example' })],
    ['a job scope', () => mint(keys, { scope: 'job' })],
    ['an expired token', () => mint(keys, {}, { exp: Math.floor(Date.now() / 1000) - 120 })],
    ['a key not in the JWKS', async () => mint(await newKeys('k1'))],
    ['garbage', async () => 'not.a.jwt'],
  ])('%s → 401 with a SCIM error body', async (_label, token) => {
    const res = await h.scim('GET', '/Users', { token: await token() });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401', detail: expect.any(String) });
  });
});

describe('createJwksScimTokenVerifier against a served JWKS', () => {
  let server: Server;
  let keys: Keys;
  let tokenUrl: string;
  let serving = true;
  let published: Keys[] = [];

  beforeAll(async () => {
    keys = await newKeys('remote-1');
    published = [keys];
    server = createServer((req, res) => {
      if (req.url === '/.well-known/jwks.json' && serving) {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: published.map((k) => k.jwk) }));
        return;
      }
      res.statusCode = 503;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fetches <tokenUrl>/.well-known/jwks.json and returns the client as the connection', async () => {
    const verify = createJwksScimTokenVerifier({ tokenUrl, issuer: ISSUER });
    expect(await verify(await mint(keys))).toEqual({ id: 'okta-oauth', name: 'okta-oauth' });
    expect(await verify(await mint(keys, { scope: 'openid' }))).toBeNull();
  });

  it('after a key rotation, a token signed by the new key is accepted (an unknown kid refetches, at most once per 10 s)', async () => {
    let now = 1_000_000;
    const verify = createJwksScimTokenVerifier({ tokenUrl, issuer: ISSUER, cache: { now: () => now } });
    expect(await verify(await mint(keys))).not.toBeNull(); // the set is now cached
    const rotated = await newKeys('remote-2');
    published = [keys, rotated];
    // right after a fetch the refetch is rate-limited: the unknown kid is refused, not fetched again
    expect(await verify(await mint(rotated))).toBeNull();
    now += 10_001;
    expect(await verify(await mint(rotated))).toEqual({ id: 'okta-oauth', name: 'okta-oauth' });
    published = [keys];
  });

  it('a JWKS that cannot be fetched is an outage (rejects → 503 upstream), not an invalid token', async () => {
    serving = false;
    const verify = createJwksScimTokenVerifier({ tokenUrl, issuer: ISSUER });
    await expect(verify(await mint(keys))).rejects.toThrow();
    serving = true;
  });
});
