import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export const ISSUER = 'https://token.ffgate.test';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  return { kid, privateKey, publicJwk };
}

/** A valid job credential's claims at `nowSec`, minus/plus overrides (undefined removes a claim). */
export function claims(nowSec: number, overrides: Record<string, unknown> = {}): JWTPayload {
  const base: Record<string, unknown> = {
    iss: ISSUER,
    sub: 'user-1',
    aud: 'ffgate',
    iat: nowSec,
    exp: nowSec + 600,
    jti: `jti-${Math.random().toString(36).slice(2)}`,
    client_id: 'client-1',
    profiles: ['h264-720p'],
    queues: ['default'],
    ...overrides,
  };
  for (const [k, v] of Object.entries(base)) if (v === undefined) delete base[k];
  return base as JWTPayload;
}

/** Sign exactly the given claims (no defaults added by jose). */
export function mint(key: SigningKey, payload: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid: key.kid, ...header }).sign(key.privateKey);
}

export const b64url = (value: string | Uint8Array) => Buffer.from(value).toString('base64url');
