import { createLocalJWKSet, type CryptoKey, type JSONWebKeySet, type JWTHeaderParameters } from 'jose';
import { CredentialError } from './errors.ts';
import { RemoteJwks, type RemoteJwksOptions } from './remote-jwks.ts';

/** Where the verifier gets public keys: the token service's JWKS URL, or a fixed set. */
export type JwksSource = ({ url: string | URL } & Omit<RemoteJwksOptions, 'url' | 'fetchImpl' | 'now'>) | { keys: JSONWebKeySet };

export type KeyResolver = (header: JWTHeaderParameters) => Promise<CryptoKey>;

export function keyResolver(source: JwksSource, deps: { fetchImpl?: typeof fetch; now?: () => number }): KeyResolver & { remote?: RemoteJwks } {
  if ('url' in source) {
    const remote = new RemoteJwks({ ...source, fetchImpl: deps.fetchImpl, now: deps.now });
    return Object.assign((h: JWTHeaderParameters) => remote.getKey(h), { remote });
  }
  const local = createLocalJWKSet(source.keys);
  const kids = new Set(source.keys.keys.map((k) => k.kid));
  return async (h) => {
    if (!kids.has(h.kid)) throw new CredentialError('FFGATE_CRED_UNKNOWN_KEY', `no key with kid "${h.kid}"`);
    return (await local(h)) as CryptoKey;
  };
}
