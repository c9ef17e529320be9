import { describe, expect, test } from '@jest/globals';
import { validateEvent, tokenRevokedSubject } from '@ffgate/contracts';
import { FailureLimiter } from '../../src/clients/rate-limit.ts';
import { deriveKeys } from '../../src/crypto/kek.ts';
import { issuerOf, loadTokenConfig } from '../../src/config.ts';
import { parseTrustedIssuers } from '../../src/exchange/trusted-issuers.ts';

describe('FailureLimiter', () => {
  test('blocks a key after maxFailures in the window and releases it when the window ends', () => {
    let t = 0;
    const l = new FailureLimiter({ maxFailures: 3, windowMs: 10_000, now: () => t });
    for (let i = 0; i < 2; i++) l.recordFailure(['a']);
    expect(l.blockedFor(['a'])).toBe(0);
    l.recordFailure(['a']);
    expect(l.blockedFor(['a'])).toBe(10);
    expect(l.blockedFor(['b'])).toBe(0);
    t = 10_001;
    expect(l.blockedFor(['a'])).toBe(0);
  });
  test('stays bounded under a flood of distinct keys', () => {
    const l = new FailureLimiter({ maxKeys: 100 });
    for (let i = 0; i < 1000; i++) l.recordFailure([`k${i}`]);
    expect(l.blockedFor(['k999'])).toBe(0);
  });
});

describe('key derivation', () => {
  test('refuses a short key-encryption key', () => {
    expect(() => deriveKeys('short')).toThrow(expect.objectContaining({ code: 'FFGATE_TOKEN_KEK_INVALID' }));
  });
  test('seals with a fresh IV each time; HMAC is keyed', () => {
    const k = deriveKeys('k'.repeat(32));
    const a = k.seal(Buffer.from('secret'), 'kid');
    expect(a).not.toBe(k.seal(Buffer.from('secret'), 'kid'));
    expect(k.open(a, 'kid').toString()).toBe('secret');
    expect(k.secretHmac('s')).not.toBe(deriveKeys('j'.repeat(32)).secretHmac('s'));
  });
});

describe('configuration', () => {
  test('defaults and limits', () => {
    const c = loadTokenConfig({});
    expect(c.tokenTtlSeconds).toBe(600);
    expect(issuerOf(c)).toBe('http://localhost:8080');
    expect(issuerOf(loadTokenConfig({ FFGATE_ISSUER: 'https://t.example/' }))).toBe('https://t.example');
    expect(() => loadTokenConfig({ FFGATE_TOKEN_TTL_SECONDS: '7200', FFGATE_KEY_ENCRYPTION_KEY: 'short' })).toThrow(/FFGATE_TOKEN_TTL_SECONDS[\s\S]*FFGATE_KEY_ENCRYPTION_KEY|FFGATE_KEY_ENCRYPTION_KEY[\s\S]*FFGATE_TOKEN_TTL_SECONDS/);
  });
  test('trusted issuers: JSON, every problem reported, symmetric algorithms refused', () => {
    expect(parseTrustedIssuers(undefined)).toEqual([]);
    const ok = parseTrustedIssuers(JSON.stringify([{ issuer: 'https://a', jwksUrl: 'https://a/keys', audience: 'x', mapTo: 'email', claim: 'email' }]));
    expect(ok[0]).toMatchObject({ issuer: 'https://a', algorithms: ['RS256', 'ES256', 'EdDSA'] });
    expect(() => parseTrustedIssuers('[{"issuer":"https://a","audience":"x","mapTo":"email"}]')).toThrow(/exactly one of jwksUrl/);
    expect(() => parseTrustedIssuers('[{"issuer":"https://a","jwksUrl":"https://a/k","audience":"x","mapTo":"nope","algorithms":["HS256"]}]')).toThrow(/mapTo[\s\S]*algorithms|algorithms[\s\S]*mapTo/);
    expect(() => parseTrustedIssuers('/does/not/exist.json')).toThrow(/cannot read/);
  });
});

describe('token.revoked contract', () => {
  test('the catalog validates token.revoked.* in both forms and refuses a half event', () => {
    const base = { id: 'e1', type: 'token.revoked', time: new Date().toISOString(), reason: 'user.deactivated' };
    expect(validateEvent(tokenRevokedSubject('u1'), { ...base, userId: 'u1', revokedBefore: base.time })).toMatchObject({ userId: 'u1' });
    expect(validateEvent(tokenRevokedSubject(undefined), { ...base, jti: 'j', expiresAt: base.time })).toMatchObject({ jti: 'j' });
    expect(() => validateEvent('token.revoked.u1', { ...base, revokedBefore: base.time })).toThrow(/userId/);
  });
});

describe('development key-encryption key', () => {
  test('generated once into FFGATE_DATA_DIR (mode 600) with a warning, then reused; production refuses', async () => {
    const { mkdtemp, stat, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { resolveKeyEncryptionKey } = await import('../../src/crypto/resolve-kek.ts');
    const dir = await mkdtemp(join(tmpdir(), 'ffgate-kek-'));
    const warnings: string[] = [];
    const logger = { warn: (_o: object, m: string) => warnings.push(m) };
    const a = resolveKeyEncryptionKey({ nodeEnv: 'development', dataDir: join(dir, 'data') }, logger);
    const b = resolveKeyEncryptionKey({ nodeEnv: 'development', dataDir: join(dir, 'data') }, logger);
    expect(a).toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect((await stat(join(dir, 'data', 'token-key-encryption-key'))).mode & 0o777).toBe(0o600);
    expect(warnings[0]).toMatch(/FFGATE_KEY_ENCRYPTION_KEY is not set/);
    expect(resolveKeyEncryptionKey({ keyEncryptionKey: 'given', nodeEnv: 'production', dataDir: dir }, logger)).toBe('given');
    expect(() => resolveKeyEncryptionKey({ nodeEnv: 'production', dataDir: dir }, logger)).toThrow(/required in production/);
    await rm(dir, { recursive: true, force: true });
  });
});
