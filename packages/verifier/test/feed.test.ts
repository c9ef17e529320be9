import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createMemoryBus, silentLogger, type MemoryBus } from '@ffgate/bus';
import { TokenRevokedEvent, tokenRevokedSubject } from '@ffgate/contracts';
import { waitFor } from '@ffgate/testing';
import { RevocationView, createVerifier, feedRevocations, type RevocationFeed } from '@ffgate/verifier';
import { ISSUER, claims, mint, signingKey } from './tokens.ts';

const userRevoked = (id: string, userId: string, before: Date) => ({
  id,
  type: 'token.revoked' as const,
  time: before.toISOString(),
  userId,
  revokedBefore: before.toISOString(),
  reason: 'user.deactivated',
});

describe('TokenRevokedEvent', () => {
  it('accepts the user form and the jti form, and refuses half of either', () => {
    const now = new Date().toISOString();
    expect(TokenRevokedEvent.safeParse(userRevoked('e1', 'u1', new Date())).success).toBe(true);
    expect(TokenRevokedEvent.safeParse({ id: 'e2', type: 'token.revoked', time: now, userId: 'u1', jti: 'j', expiresAt: now, reason: 'revoked' }).success).toBe(true);
    expect(TokenRevokedEvent.safeParse({ id: 'e3', type: 'token.revoked', time: now, revokedBefore: now, reason: 'x' }).success).toBe(false);
    expect(TokenRevokedEvent.safeParse({ id: 'e4', type: 'token.revoked', time: now, jti: 'j', reason: 'x' }).success).toBe(false);
    expect(TokenRevokedEvent.safeParse({ id: 'e5', type: 'token.revoked', time: now, reason: 'x' }).success).toBe(false);
  });
});

describe('feedRevocations (in-process bus)', () => {
  let bus: MemoryBus;
  let feed: RevocationFeed | undefined;

  beforeEach(async () => {
    bus = createMemoryBus({ logger: silentLogger });
    await bus.ensureStream({ name: 'TOKENS', subjects: ['token.>'], maxAgeMs: 3_600_000 });
  });
  afterEach(async () => {
    await feed?.stop();
    await bus.close();
  });

  it('replays revocations published before it started, then follows new ones', async () => {
    const key = await signingKey('k1');
    const verifier = createVerifier({ issuer: ISSUER, jwks: { keys: { keys: [key.publicJwk] } } });
    const nowSec = Math.floor(Date.now() / 1000);
    const aliceToken = await mint(key, claims(nowSec - 10, { sub: 'alice' }));
    const bobToken = await mint(key, claims(nowSec - 10, { sub: 'bob', jti: 'bob-1' }));
    await expect(verifier.verify(aliceToken)).resolves.toBeTruthy();

    // alice deactivated before this verifier started
    await bus.publish(tokenRevokedSubject('alice'), userRevoked('e1', 'alice', new Date()), { msgId: 'e1' });

    const view = new RevocationView();
    feed = await feedRevocations(bus, view);
    const guarded = createVerifier({ issuer: ISSUER, jwks: { keys: { keys: [key.publicJwk] } }, revocations: view, maxRevocationStalenessMs: 60_000 });
    await waitFor(() => view.isRevoked({ jti: 'x', sub: 'alice', iat: nowSec - 10 }), { message: 'replayed revocation not applied' });
    await expect(guarded.verify(aliceToken)).rejects.toMatchObject({ code: 'FFGATE_CRED_REVOKED' });
    await expect(guarded.verify(bobToken)).resolves.toMatchObject({ sub: 'bob' });

    // a single credential of bob revoked while running
    const expiresAt = new Date((nowSec + 600) * 1000).toISOString();
    await bus.publish(tokenRevokedSubject('bob'), { id: 'e2', type: 'token.revoked', time: new Date().toISOString(), userId: 'bob', jti: 'bob-1', expiresAt, reason: 'revoked' }, { msgId: 'e2' });
    await waitFor(() => view.size.jtis === 1, { message: 'live revocation not applied' });
    await expect(guarded.verify(bobToken)).rejects.toMatchObject({ code: 'FFGATE_CRED_REVOKED' });
    expect(view.lastFeedActivity).toBeGreaterThan(0);
  });

  it('lets two verifiers each see every revocation (broadcast, not shared work)', async () => {
    const a = new RevocationView();
    const b = new RevocationView();
    const feedA = await feedRevocations(bus, a);
    feed = await feedRevocations(bus, b);
    await bus.publish(tokenRevokedSubject('carol'), userRevoked('e3', 'carol', new Date()), { msgId: 'e3' });
    await waitFor(() => a.size.users === 1 && b.size.users === 1, { message: 'not both views updated' });
    await feedA.stop();
    expect(a.isRevoked({ jti: 'j', sub: 'carol', iat: 0 })).toBe(true);
  });
});
