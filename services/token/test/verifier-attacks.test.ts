import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { generateKeyPair, importPKCS8, SignJWT } from 'jose';
import { createMemoryBus, silentLogger, type MemoryBus } from '@ffgate/bus';
import { openDatabase, type Database } from '@ffgate/db';
import { createVerifier, feedRevocations, RevocationView, type RevocationFeed, type Verifier } from '@ffgate/verifier';
import { waitFor } from '@ffgate/testing';
import { deriveKeys } from '../src/crypto/kek.ts';
import { basic, createClient, decodePayload, FakeIdp, KEK, mint, postForm, projected, runService, type RunningService } from './harness.ts';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** Attacks on the verifier, end to end against the token service's real JWKS; each is rejected. */
describe('verifier attacks against the token service JWKS', () => {
  let database: Database;
  let bus: MemoryBus;
  let running: RunningService;
  let idp: FakeIdp;
  let client: { id: string; secret: string };
  let verifier: Verifier;
  let feed: RevocationFeed;
  let offsetMs = 0;
  const now = () => Date.now() + offsetMs;
  let valid: string;

  beforeAll(async () => {
    database = await openDatabase();
    bus = createMemoryBus({ logger: silentLogger });
    running = await runService({ database, bus, now });
    idp = new FakeIdp(bus);
    await idp.create('vic');
    await projected(database, 'vic', 1);
    client = await createClient(running.url, { userId: 'vic' });
    const view = new RevocationView();
    feed = await feedRevocations(bus, view);
    verifier = createVerifier({ issuer: running.service.issuer, jwks: { url: `${running.url}/.well-known/jwks.json`, minRefetchIntervalMs: 0 }, revocations: view });
    valid = (await mint(running.url, client)).body.access_token;
    await expect(verifier.verify(valid)).resolves.toMatchObject({ sub: 'vic' });
  });
  afterAll(async () => {
    await feed.stop();
    await running.close();
    await bus.close();
    await database.close();
  });

  /** the service's real signing key, as only the service can use it (opened with the KEK) */
  async function realKey() {
    const r = await database.db.execute(sql`select kid, private_key_sealed from "token"."signing_keys" where retired_at is null`);
    const row = (r as any).rows[0] as { kid: string; private_key_sealed: string };
    return { kid: row.kid, key: await importPKCS8(deriveKeys(KEK).open(row.private_key_sealed, row.kid).toString(), 'EdDSA') };
  }
  const rejects = (token: string, code: string) => expect(verifier.verify(token)).rejects.toMatchObject({ code });

  test('alg none', async () => {
    const [h, p] = valid.split('.');
    const header = { ...JSON.parse(Buffer.from(h!, 'base64url').toString()), alg: 'none' };
    await rejects(`${b64(header)}.${p}.`, 'FFGATE_CRED_ALG');
  });

  test('HS256 signed with the published public key', async () => {
    const jwks = await fetch(`${running.url}/.well-known/jwks.json`).then((r) => r.json() as Promise<any>);
    const pub = jwks.keys[0];
    const header = b64({ alg: 'HS256', kid: pub.kid, typ: 'JWT' });
    const payload = valid.split('.')[1];
    for (const secret of [JSON.stringify(pub), Buffer.from(pub.x, 'base64url')]) {
      const sig = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
      await rejects(`${header}.${payload}.${sig}`, 'FFGATE_CRED_ALG');
    }
  });

  test('unknown kid', async () => {
    const { privateKey } = await generateKeyPair('EdDSA');
    const forged = await new SignJWT(decodePayload(valid)).setProtectedHeader({ alg: 'EdDSA', kid: 'attacker-key' }).sign(privateKey);
    await rejects(forged, 'FFGATE_CRED_UNKNOWN_KEY');
    // a known kid with the attacker's key: the signature fails
    const known = JSON.parse(Buffer.from(valid.split('.')[0]!, 'base64url').toString()).kid;
    const wrongKey = await new SignJWT(decodePayload(valid)).setProtectedHeader({ alg: 'EdDSA', kid: known }).sign(privateKey);
    await rejects(wrongKey, 'FFGATE_CRED_SIGNATURE');
  });

  test('another issuer, another audience', async () => {
    const { kid, key } = await realKey();
    const claims = decodePayload(valid);
    await rejects(await new SignJWT({ ...claims, iss: 'https://evil.example' }).setProtectedHeader({ alg: 'EdDSA', kid }).sign(key), 'FFGATE_CRED_ISSUER');
    await rejects(await new SignJWT({ ...claims, aud: 'someone-else' }).setProtectedHeader({ alg: 'EdDSA', kid }).sign(key), 'FFGATE_CRED_AUDIENCE');
    // and a real token the service minted for another audience (an IdP connection's SCIM token)
    const scim = await createClient(running.url, { scope: 'scim' }, 'idp');
    await rejects((await mint(running.url, scim)).body.access_token, 'FFGATE_CRED_AUDIENCE');
  });

  test('expired, and not yet valid', async () => {
    offsetMs = -2 * 3600_000; // minted two hours ago, with a 10-minute lifetime
    const old = (await mint(running.url, client)).body.access_token as string;
    offsetMs = 3600_000; // minted by a clock an hour ahead
    const future = (await mint(running.url, client)).body.access_token as string;
    offsetMs = 0;
    await rejects(old, 'FFGATE_CRED_EXPIRED');
    await rejects(future, 'FFGATE_CRED_NOT_YET_VALID');
    const { kid, key } = await realKey();
    const nbf = Math.floor(Date.now() / 1000) + 600;
    await rejects(await new SignJWT({ ...decodePayload(valid), nbf }).setProtectedHeader({ alg: 'EdDSA', kid }).sign(key), 'FFGATE_CRED_NOT_YET_VALID');
  });

  test('tampered payload', async () => {
    const [h, p, s] = valid.split('.');
    const payload = { ...JSON.parse(Buffer.from(p!, 'base64url').toString()), profiles: ['h264-720p', 'hevc-1080p'], queues: ['broadcast'] };
    await rejects(`${h}.${b64(payload)}.${s}`, 'FFGATE_CRED_SIGNATURE');
    const other = { ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: 'admin' };
    await rejects(`${h}.${b64(other)}.${s}`, 'FFGATE_CRED_SIGNATURE');
  });

  test('a revoked jti', async () => {
    const token = (await mint(running.url, client)).body.access_token as string;
    await verifier.verify(token);
    expect((await postForm(`${running.url}/oauth2/revoke`, { token }, { authorization: basic(client.id, client.secret) })).status).toBe(200);
    await waitFor(() => verifier.verify(token).then(() => false, (e) => e.code === 'FFGATE_CRED_REVOKED'));
    await expect(verifier.verify(valid)).resolves.toMatchObject({ sub: 'vic' }); // only that one
  });

  test('a token of a user deactivated since', async () => {
    await idp.deactivate('vic');
    await waitFor(() => verifier.verify(valid).then(() => false, (e) => e.code === 'FFGATE_CRED_REVOKED'));
  });
});
