import { beforeEach, describe, expect, it } from '@jest/globals';
import type { JWK } from 'jose';
import { waitFor } from '@ffgate/testing';
import { CredentialError, createVerifier, type Verifier } from '@ffgate/verifier';
import { ISSUER, claims, mint, signingKey } from './tokens.ts';

/** A fake JWKS endpoint: a mutable key list, a fetch counter, and an on/off switch. */
function fakeEndpoint() {
  const state = { keys: [] as JWK[], fetches: 0, down: false };
  const fetchImpl = (async () => {
    state.fetches++;
    if (state.down) throw new TypeError('fetch failed: connection refused');
    return new Response(JSON.stringify({ keys: state.keys }), { status: 200, headers: { 'content-type': 'application/jwk-set+json' } });
  }) as typeof fetch;
  return { state, fetchImpl };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(CredentialError);
    return (err as CredentialError).code;
  }
  throw new Error('accepted');
}

describe('remote JWKS cache', () => {
  let clockMs: number;
  let endpoint: ReturnType<typeof fakeEndpoint>;
  let verifier: Verifier;
  const nowSec = () => Math.floor(clockMs / 1000);

  beforeEach(() => {
    clockMs = 1_800_000_000_000;
    endpoint = fakeEndpoint();
    verifier = createVerifier({
      issuer: ISSUER,
      jwks: { url: 'https://token.ffgate.test/.well-known/jwks.json', minRefetchIntervalMs: 10_000, maxAgeMs: 600_000 },
      fetchImpl: endpoint.fetchImpl,
      now: () => clockMs,
    });
  });

  it('fetches once and serves later verifications from the cache', async () => {
    const k1 = await signingKey('k1');
    endpoint.state.keys = [k1.publicJwk];
    for (let i = 0; i < 5; i++) await verifier.verify(await mint(k1, claims(nowSec())));
    expect(endpoint.state.fetches).toBe(1);
    expect(verifier.remoteJwks?.fetchCount).toBe(1);
  });

  it('picks up a rotated-in key with one refetch', async () => {
    const k1 = await signingKey('k1');
    const k2 = await signingKey('k2');
    endpoint.state.keys = [k1.publicJwk];
    await verifier.verify(await mint(k1, claims(nowSec())));

    endpoint.state.keys = [k1.publicJwk, k2.publicJwk]; // the token service publishes k2 and starts signing with it
    clockMs += 10_000;
    await expect(verifier.verify(await mint(k2, claims(nowSec())))).resolves.toMatchObject({ sub: 'user-1' });
    expect(endpoint.state.fetches).toBe(2);
    // the old key keeps working during the overlap, without another fetch
    await verifier.verify(await mint(k1, claims(nowSec())));
    expect(endpoint.state.fetches).toBe(2);
  });

  it('fetches at most once per interval under a flood of unknown kids', async () => {
    const k1 = await signingKey('k1');
    endpoint.state.keys = [k1.publicJwk];
    await verifier.verify(await mint(k1, claims(nowSec())));
    clockMs += 10_000;

    const strangers = await Promise.all(Array.from({ length: 20 }, (_, i) => signingKey(`made-up-${i}`)));
    const tokens = await Promise.all(strangers.map((s) => mint(s, claims(nowSec()))));
    const codes = await Promise.all(tokens.map((t) => codeOf(verifier.verify(t)))); // concurrent
    for (const t of tokens) codes.push(await codeOf(verifier.verify(t))); // and one after another
    expect(new Set(codes)).toEqual(new Set(['FFGATE_CRED_UNKNOWN_KEY']));
    expect(endpoint.state.fetches).toBe(2);

    clockMs += 9_999;
    await codeOf(verifier.verify(tokens[0]));
    expect(endpoint.state.fetches).toBe(2);
    clockMs += 1;
    await codeOf(verifier.verify(tokens[0]));
    expect(endpoint.state.fetches).toBe(3);
  });

  it('says the keys are unavailable (not that the token is bad) when the first fetch fails, then recovers', async () => {
    const k1 = await signingKey('k1');
    endpoint.state.keys = [k1.publicJwk];
    endpoint.state.down = true;
    const token = await mint(k1, claims(nowSec()));
    expect(await codeOf(verifier.verify(token))).toBe('FFGATE_CRED_KEYS_UNAVAILABLE');

    endpoint.state.down = false;
    clockMs += 1_000; // with no keys at all, retries come every second
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'user-1' });
  });

  it('keeps verifying with cached keys while the endpoint is down', async () => {
    const k1 = await signingKey('k1');
    endpoint.state.keys = [k1.publicJwk];
    await verifier.verify(await mint(k1, claims(nowSec())));
    endpoint.state.down = true;
    clockMs += 700_000; // past maxAge: a background refresh is attempted and fails
    await expect(verifier.verify(await mint(k1, claims(nowSec())))).resolves.toBeTruthy();
    expect(endpoint.state.fetches).toBe(2);
  });

  it('drops a retired key after the set ages out', async () => {
    const k1 = await signingKey('k1');
    const k2 = await signingKey('k2');
    endpoint.state.keys = [k1.publicJwk, k2.publicJwk];
    await verifier.verify(await mint(k1, claims(nowSec())));

    endpoint.state.keys = [k2.publicJwk]; // k1 retired: every token it signed has expired
    clockMs += 600_000;
    await verifier.verify(await mint(k2, claims(nowSec()))); // starts the background refresh
    await waitFor(() => endpoint.state.fetches === 2, { message: 'background refresh not started' });
    clockMs += 10_000;
    expect(await codeOf(verifier.verify(await mint(k1, claims(nowSec()))))).toBe('FFGATE_CRED_UNKNOWN_KEY');
  });
});
