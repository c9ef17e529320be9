import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { CredentialError, RevocationView, createVerifier, type Verifier } from '@ffgate/verifier';
import { ISSUER, claims, mint, signingKey, type SigningKey } from './tokens.ts';

const NOW_MS = 1_800_000_000_000;
const NOW = NOW_MS / 1000;

describe('RevocationView', () => {
  it('revokes one jti until it expires, then forgets it', () => {
    const view = new RevocationView({ now: () => NOW_MS });
    view.revokeJti('j1', NOW_MS + 60_000);
    expect(view.isRevoked({ jti: 'j1', sub: 'u', iat: NOW })).toBe(true);
    expect(view.isRevoked({ jti: 'j2', sub: 'u', iat: NOW })).toBe(false);
    view.prune(NOW_MS + 59_999);
    expect(view.size.jtis).toBe(1);
    view.prune(NOW_MS + 60_001);
    expect(view.size.jtis).toBe(0);
  });

  it('revokes every credential of a user issued at or before a time, and keeps the latest time', () => {
    const view = new RevocationView({ maxCredentialLifetimeMs: 3_600_000 });
    view.revokeUserBefore('u', new Date(NOW_MS));
    view.revokeUserBefore('u', NOW_MS - 5_000); // an older event arriving late changes nothing
    expect(view.isRevoked({ jti: 'a', sub: 'u', iat: NOW - 100 })).toBe(true);
    expect(view.isRevoked({ jti: 'b', sub: 'u', iat: NOW })).toBe(true);
    expect(view.isRevoked({ jti: 'c', sub: 'u', iat: NOW + 1 })).toBe(false); // minted after reactivation
    expect(view.isRevoked({ jti: 'd', sub: 'other', iat: NOW - 100 })).toBe(false);
    view.prune(NOW_MS + 3_600_000);
    expect(view.size.users).toBe(1);
    view.prune(NOW_MS + 3_600_001); // no credential issued before the cut-off can still be alive
    expect(view.size.users).toBe(0);
  });
});

describe('verifier with revocations', () => {
  let key: SigningKey;
  let view: RevocationView;
  let clockMs: number;
  const make = (extra: { maxRevocationStalenessMs?: number } = {}): Verifier =>
    createVerifier({ issuer: ISSUER, jwks: { keys: { keys: [key.publicJwk] } }, revocations: view, now: () => clockMs, ...extra });

  beforeAll(async () => {
    key = await signingKey('k1');
  });
  beforeEach(() => {
    clockMs = NOW_MS;
    view = new RevocationView({ now: () => clockMs });
  });

  it('refuses a revoked jti and accepts the user\'s other credentials', async () => {
    const verifier = make();
    const revoked = await mint(key, claims(NOW, { jti: 'j-revoked' }));
    const other = await mint(key, claims(NOW, { jti: 'j-other' }));
    view.revokeJti('j-revoked', (NOW + 600) * 1000);
    await expect(verifier.verify(revoked)).rejects.toMatchObject({ code: 'FFGATE_CRED_REVOKED' });
    await expect(verifier.verify(other)).resolves.toMatchObject({ jti: 'j-other' });
  });

  it('refuses a token of a user deactivated since it was issued, and accepts one minted after', async () => {
    const verifier = make();
    const old = await mint(key, claims(NOW - 60));
    view.revokeUserBefore('user-1', NOW_MS);
    const err = await verifier.verify(old).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CredentialError);
    expect((err as CredentialError).code).toBe('FFGATE_CRED_REVOKED');

    clockMs += 2_000;
    await expect(verifier.verify(await mint(key, claims(NOW + 2)))).resolves.toMatchObject({ sub: 'user-1' });
  });

  it('fails closed when the revocation feed is stale, and recovers when it reports again', async () => {
    const verifier = make({ maxRevocationStalenessMs: 30_000 });
    const token = await mint(key, claims(NOW));
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'FFGATE_CRED_REVOCATIONS_STALE' }); // never reported
    view.markFeedActivity(clockMs);
    await expect(verifier.verify(token)).resolves.toBeTruthy();
    clockMs += 30_001;
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'FFGATE_CRED_REVOCATIONS_STALE' });
  });
});
