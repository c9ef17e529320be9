import { beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { CredentialError, createVerifier, type Verifier } from '@ffgate/verifier';
import { ISSUER, b64url, claims, mint, signingKey, type SigningKey } from './tokens.ts';

const NOW = 1_800_000_000; // seconds; the verifier's clock is pinned here

async function rejection(verifier: Verifier, token: string): Promise<string> {
  try {
    await verifier.verify(token);
  } catch (err) {
    expect(err).toBeInstanceOf(CredentialError);
    return (err as CredentialError).code;
  }
  throw new Error('token was accepted');
}

describe('verifier attacks', () => {
  let key: SigningKey;
  let verifier: Verifier;
  let fetches = 0;

  beforeAll(async () => {
    key = await signingKey('k1');
    // a URL source with a counting fetch: foreign algorithms must be refused before any key lookup
    const fetchImpl = (async () => {
      fetches++;
      return new Response(JSON.stringify({ keys: [key.publicJwk] }), { status: 200 });
    }) as typeof fetch;
    verifier = createVerifier({ issuer: ISSUER, jwks: { url: 'https://token.ffgate.test/.well-known/jwks.json' }, fetchImpl, now: () => NOW * 1000 });
  });

  it('accepts a valid credential and returns its claims', async () => {
    const payload = claims(NOW, { aud: ['other', 'ffgate'], profiles: ['audio-aac', 'h264-720p'] });
    await expect(verifier.verify(await mint(key, payload))).resolves.toMatchObject({ sub: 'user-1', client_id: 'client-1', profiles: ['audio-aac', 'h264-720p'] });
  });

  it('refuses alg none without looking up a key', async () => {
    const before = fetches;
    const token = `${b64url(JSON.stringify({ alg: 'none', kid: 'k1' }))}.${b64url(JSON.stringify(claims(NOW)))}.`;
    expect(await rejection(verifier, token)).toBe('FFGATE_CRED_ALG');
    expect(fetches).toBe(before);
  });

  it('refuses HS256 signed with the public key (algorithm confusion)', async () => {
    const before = fetches;
    for (const secret of [Buffer.from(key.publicJwk.x!, 'base64url'), new TextEncoder().encode(JSON.stringify(key.publicJwk))]) {
      const token = await new SignJWT(claims(NOW)).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).sign(secret);
      expect(await rejection(verifier, token)).toBe('FFGATE_CRED_ALG');
    }
    expect(fetches).toBe(before);
  });

  it('refuses the other name for the same algorithm (Ed25519): one name for the whole system', async () => {
    const token = await new SignJWT(claims(NOW)).setProtectedHeader({ alg: 'Ed25519', kid: 'k1' }).sign(key.privateKey);
    expect(await rejection(verifier, token)).toBe('FFGATE_CRED_ALG');
  });

  it('refuses another issuer and another audience', async () => {
    expect(await rejection(verifier, await mint(key, claims(NOW, { iss: 'https://evil.test' })))).toBe('FFGATE_CRED_ISSUER');
    expect(await rejection(verifier, await mint(key, claims(NOW, { aud: 'scim' })))).toBe('FFGATE_CRED_AUDIENCE');
    expect(await rejection(verifier, await mint(key, claims(NOW, { aud: ['scim', 'api'] })))).toBe('FFGATE_CRED_AUDIENCE');
  });

  it('refuses an expired credential, allowing 5 s of clock skew', async () => {
    expect(await rejection(verifier, await mint(key, claims(NOW - 700, { exp: NOW - 6 })))).toBe('FFGATE_CRED_EXPIRED');
    await expect(verifier.verify(await mint(key, claims(NOW - 700, { exp: NOW - 4 })))).resolves.toBeTruthy();
  });

  it('refuses a credential not valid yet (nbf, or iat in the future) beyond the skew', async () => {
    expect(await rejection(verifier, await mint(key, claims(NOW, { nbf: NOW + 60 })))).toBe('FFGATE_CRED_NOT_YET_VALID');
    expect(await rejection(verifier, await mint(key, claims(NOW + 60)))).toBe('FFGATE_CRED_NOT_YET_VALID');
    await expect(verifier.verify(await mint(key, claims(NOW, { nbf: NOW + 4 })))).resolves.toBeTruthy();
  });

  it('refuses a tampered payload and a signature by another key under the same kid', async () => {
    const [h, , s] = (await mint(key, claims(NOW))).split('.');
    const widened = b64url(JSON.stringify(claims(NOW, { profiles: ['h264-720p', 'hevc-1080p'], queues: ['broadcast'] })));
    expect(await rejection(verifier, `${h}.${widened}.${s}`)).toBe('FFGATE_CRED_SIGNATURE');

    const impostor = await signingKey('k1');
    expect(await rejection(verifier, await mint(impostor, claims(NOW)))).toBe('FFGATE_CRED_SIGNATURE');
  });

  it('refuses an unknown kid', async () => {
    const stranger = await signingKey('k-unknown');
    expect(await rejection(verifier, await mint(stranger, claims(NOW)))).toBe('FFGATE_CRED_UNKNOWN_KEY');
  });

  it.each(['iss', 'sub', 'aud', 'iat', 'exp', 'jti', 'client_id', 'profiles', 'queues'])('refuses a credential without %s', async (claim) => {
    expect(await rejection(verifier, await mint(key, claims(NOW, { [claim]: undefined })))).toBe('FFGATE_CRED_CLAIMS');
  });

  it('refuses claims of the wrong type', async () => {
    expect(await rejection(verifier, await mint(key, claims(NOW, { profiles: 'h264-720p' })))).toBe('FFGATE_CRED_CLAIMS');
    expect(await rejection(verifier, await mint(key, claims(NOW, { sub: 42 })))).toBe('FFGATE_CRED_CLAIMS');
  });

  it('refuses malformed input', async () => {
    for (const token of ['', 'abc', 'a.b.c', `${b64url('{"alg":"EdDSA"}')}.${b64url('{}')}.sig`, 'x'.repeat(20_000)]) {
      expect(await rejection(verifier, token)).toBe('FFGATE_CRED_MALFORMED');
    }
  });
});
