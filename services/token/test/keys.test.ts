import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { compactVerify, importJWK, importPKCS8, SignJWT } from 'jose';
import { createMemoryBus, silentLogger, type MemoryBus } from '@ffgate/bus';
import { openDatabase, type Database } from '@ffgate/db';
import { createVerifier } from '@ffgate/verifier';
import { deriveKeys } from '../src/crypto/kek.ts';
import { createTokenService } from '../src/index.ts';
import { createClient, decodePayload, FakeIdp, KEK, mint, projected, runService, testConfig, type RunningService } from './harness.ts';

/** Key rotation with overlap, and private keys sealed at rest. Time is a fake clock. */
describe('token service: signing keys', () => {
  let database: Database;
  let bus: MemoryBus;
  let running: RunningService;
  let clock = Date.parse('2026-12-01T10:00:00Z');
  const now = () => clock;
  let client: { id: string; secret: string };

  beforeAll(async () => {
    database = await openDatabase();
    bus = createMemoryBus({ logger: silentLogger });
    running = await runService({ database, bus, now, config: { tokenTtlSeconds: 600 } });
    const idp = new FakeIdp(bus);
    await idp.create('kim');
    await projected(database, 'kim', 1);
    client = await createClient(running.url, { userId: 'kim' });
  });
  afterAll(async () => {
    await running.close();
    await bus.close();
    await database.close();
  });

  const jwksKids = async () => ((await fetch(`${running.url}/.well-known/jwks.json`).then((r) => r.json())) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
  const kidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid as string;

  test('a retired key stays published until every token it signed has expired, then drops out', async () => {
    const oldToken = (await mint(running.url, client)).body.access_token as string;
    const oldKid = kidOf(oldToken);
    const newKid = await running.service.rotateSigningKey();
    expect(newKid).not.toBe(oldKid);
    expect(await jwksKids()).toEqual(expect.arrayContaining([oldKid, newKid]));

    const newToken = (await mint(running.url, client)).body.access_token as string;
    expect(kidOf(newToken)).toBe(newKid);

    // a verifier that never saw the old key: fetches the JWKS, accepts both
    const fresh = () => createVerifier({ issuer: running.service.issuer, jwks: { url: `${running.url}/.well-known/jwks.json` }, now });
    await expect(fresh().verify(oldToken)).resolves.toMatchObject({ sub: 'kim' });
    await expect(fresh().verify(newToken)).resolves.toMatchObject({ sub: 'kim' });

    // one second before the old token expires the old key is still there
    clock = decodePayload(oldToken).exp * 1000 - 1000;
    expect(await jwksKids()).toContain(oldKid);
    await expect(fresh().verify(oldToken)).resolves.toMatchObject({ sub: 'kim' });

    // once the overlap has passed, only the new key is published
    clock += 3 * 60_000;
    expect(await jwksKids()).toEqual([newKid]);
    const afterOverlap = fresh();
    await expect(afterOverlap.verify(oldToken)).rejects.toMatchObject({ code: expect.stringMatching(/FFGATE_CRED_(UNKNOWN_KEY|EXPIRED)/) });
  });

  test('the database alone does not reveal the private keys', async () => {
    const r = await database.db.execute(sql`select kid, public_jwk, private_key_sealed from "token"."signing_keys"`);
    const rows = (r as unknown as { rows: { kid: string; public_jwk: Record<string, unknown>; private_key_sealed: string }[] }).rows;
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      expect(row.public_jwk.d).toBeUndefined();
      expect(row.private_key_sealed).not.toMatch(/PRIVATE KEY|MC4CAQAwBQYDK2Vw/); // no PEM, no PKCS#8 Ed25519 prefix
      // the sealed value is not a key jose (or anyone) can import
      await expect(importPKCS8(row.private_key_sealed, 'EdDSA')).rejects.toThrow();
      // a different key-encryption key cannot open it; the right one can
      expect(() => deriveKeys('another-key-encryption-key-0123456789').open(row.private_key_sealed, row.kid)).toThrow(/FFGATE_KEY_ENCRYPTION_KEY/);
      // moving the sealed key under another kid (associated data) fails too
      expect(() => deriveKeys(KEK).open(row.private_key_sealed, `${row.kid}x`)).toThrow();
      const pem = deriveKeys(KEK).open(row.private_key_sealed, row.kid).toString('utf8');
      const priv = await importPKCS8(pem, 'EdDSA');
      const jws = await new SignJWT({ a: 1 }).setProtectedHeader({ alg: 'EdDSA' }).sign(priv);
      await expect(compactVerify(jws, await importJWK(row.public_jwk, 'EdDSA'))).resolves.toBeDefined();
    }
  });

  test('a service started with the wrong FFGATE_KEY_ENCRYPTION_KEY refuses to start', async () => {
    const wrong = createTokenService({
      database,
      bus,
      logger: silentLogger,
      config: testConfig({ keyEncryptionKey: 'wrong-key-encryption-key-0123456789abcdef' }),
    });
    await expect(wrong.start()).rejects.toMatchObject({ code: 'FFGATE_TOKEN_KEY_UNSEAL' });
    await wrong.stop();
  });

  test('production without FFGATE_KEY_ENCRYPTION_KEY is a start-up error', () => {
    expect(() =>
      createTokenService({ database, bus, logger: silentLogger, config: testConfig({ keyEncryptionKey: undefined, nodeEnv: 'production' }) }),
    ).toThrow(/required in production/);
  });
});

describe('expired credentials', () => {
  test('are purged after a grace period; live ones stay', async () => {
    const { purgeExpiredCredentials } = await import('../src/credentials/purge.ts');
    const database = await openDatabase();
    const { migrateToken } = await import('../src/index.ts');
    await migrateToken(database);
    const t = Date.parse('2026-12-01T12:00:00Z');
    const row = (jti: string, expires: number) =>
      sql`insert into "token"."credentials" (jti, user_id, client_id, kind, profiles, queues, issued_at, expires_at) values (${jti}, 'u', 'c', 'job', '[]', '[]', ${new Date(expires - 600_000).toISOString()}::timestamptz, ${new Date(expires).toISOString()}::timestamptz)`;
    await database.db.execute(row('old', t - 2 * 3600_000));
    await database.db.execute(row('recent', t - 60_000));
    await database.db.execute(row('live', t + 60_000));
    expect(await purgeExpiredCredentials(database.db, t)).toBe(1);
    const left = ((await database.db.execute(sql`select jti from "token"."credentials" order by jti`)) as any).rows.map((r: { jti: string }) => r.jti);
    expect(left).toEqual(['live', 'recent']);
    await database.close();
  });
});
