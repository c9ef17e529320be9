import { describe, expect, it } from '@jest/globals';
import { createMemoryConnectionsRepository, createTokenVerifier, hashToken, type ConnectionsRepository } from '../../src/index.ts';
import { bearerToken, connectionIdOf } from '../../src/auth/tokens.ts';

describe('connection tokens', () => {
  it('have the form ffscim_<id>_<43-char base64url secret> and only their sha256 is kept', async () => {
    const repo = createMemoryConnectionsRepository();
    const created = await repo.create('okta');
    expect(created.token).toMatch(/^ffscim_[0-9a-f]{24}_[A-Za-z0-9_-]{43}$/);
    expect(connectionIdOf(created.token)).toBe(created.id);
    const record = await repo.findById(created.id);
    expect(record?.tokenHash).toBe(hashToken(created.token));
    expect(record?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(record)).not.toContain(created.token);
  });

  it('malformed tokens have no connection id', () => {
    for (const token of ['', 'ffscim_', 'ffscim_abc_def', `ffscim_${'a'.repeat(24)}_short`, `xx_${'a'.repeat(24)}_${'A'.repeat(43)}`]) {
      expect(connectionIdOf(token)).toBeUndefined();
    }
  });

  it('bearer credentials are read case-insensitively from the scheme', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe('token verifier', () => {
  function counting(repo: ConnectionsRepository) {
    const marks: string[] = [];
    return { marks, repo: { ...repo, markUsed: async (id: string, at: Date) => { marks.push(id); await repo.markUsed(id, at); } } };
  }

  it('accepts a live token, refuses unknown/revoked/tampered tokens, with no cache (revocation is immediate)', async () => {
    const base = createMemoryConnectionsRepository();
    const { token, id } = await base.create('okta');
    const verifier = createTokenVerifier({ connections: base });
    expect(await verifier.verify(token)).toEqual({ id, name: 'okta' });
    expect(await verifier.verify(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
    expect(await verifier.verify('ffscim_ffffffffffffffffffffffff_' + 'A'.repeat(43))).toBeNull();
    await base.revoke(id);
    expect(await verifier.verify(token)).toBeNull();
  });

  it('accepts FFGATE_SCIM_TOKEN as connection `env`', async () => {
    const verifier = createTokenVerifier({ connections: createMemoryConnectionsRepository(), scimToken: 'the-env-token' });
    expect(await verifier.verify('the-env-token')).toEqual({ id: 'env', name: 'env' });
    expect(await verifier.verify('the-env-tokeN')).toBeNull();
  });

  it('writes last_used_at at most once per interval per connection', async () => {
    const { marks, repo } = counting(createMemoryConnectionsRepository());
    const a = await repo.create('a');
    const b = await repo.create('b');
    let now = 1_000_000;
    const verifier = createTokenVerifier({ connections: repo, now: () => now, touchIntervalMs: 60_000 });
    for (let i = 0; i < 5; i++) await verifier.verify(a.token);
    await verifier.verify(b.token);
    expect(marks).toEqual([a.id, b.id]);
    now += 59_999;
    await verifier.verify(a.token);
    expect(marks).toEqual([a.id, b.id]);
    now += 1;
    await verifier.verify(a.token);
    expect(marks).toEqual([a.id, b.id, a.id]);
    expect((await repo.findById(a.id))?.lastUsedAt?.getTime()).toBe(now);
  });

  it('a failing last_used_at write does not fail verification', async () => {
    const base = createMemoryConnectionsRepository();
    const { token } = await base.create('a');
    const errors: unknown[] = [];
    const verifier = createTokenVerifier({
      connections: { ...base, markUsed: async () => { throw new Error('db down'); } },
      onTouchError: (e) => errors.push(e),
    });
    expect(await verifier.verify(token)).not.toBeNull();
    expect(errors).toHaveLength(1);
  });
});
