import { createLocalJWKSet, importJWK, type CryptoKey, type JSONWebKeySet, type JWK, type JWTHeaderParameters } from 'jose';
import { CREDENTIAL_ALG } from './claims.ts';
import { CredentialError } from './errors.ts';
import { RemoteJwks, type RemoteJwksOptions } from './remote-jwks.ts';

/** Where the verifier gets public keys: the token service's JWKS URL, a fixed set, or a callback. */
export type JwksSource =
  | ({ url: string | URL } & Omit<RemoteJwksOptions, 'url' | 'fetchImpl' | 'now'>)
  | { keys: JSONWebKeySet }
  /** in-process callers (the token service itself, benchmarks); undefined = unknown kid */
  | { getKey(kid: string): Promise<CryptoKey | JWK | undefined> | CryptoKey | JWK | undefined };

export type KeyResolver = (header: JWTHeaderParameters) => Promise<CryptoKey>;

export function keyResolver(source: JwksSource, deps: { fetchImpl?: typeof fetch; now?: () => number }): KeyResolver & { remote?: RemoteJwks } {
  if ('url' in source) {
    const remote = new RemoteJwks({ ...source, fetchImpl: deps.fetchImpl, now: deps.now });
    return Object.assign((h: JWTHeaderParameters) => remote.getKey(h), { remote });
  }
  if ('keys' in source) {
    const local = createLocalJWKSet(source.keys);
    const kids = new Set(source.keys.keys.map((k) => k.kid));
    return async (h) => {
      if (!kids.has(h.kid)) throw new CredentialError('FFGATE_CRED_UNKNOWN_KEY', `no key with kid "${h.kid}"`);
      return (await local(h)) as CryptoKey;
    };
  }
  const imported = new WeakMap<JWK, Promise<CryptoKey>>();
  return async (h) => {
    const key = await source.getKey(h.kid ?? '');
    if (key === undefined) throw new CredentialError('FFGATE_CRED_UNKNOWN_KEY', `no key with kid "${h.kid}"`);
    if (!isJwk(key)) return key;
    let p = imported.get(key);
    if (!p) imported.set(key, (p = importJWK(key, CREDENTIAL_ALG) as Promise<CryptoKey>));
    return p;
  };
}

function isJwk(key: CryptoKey | JWK): key is JWK {
  return typeof (key as JWK).kty === 'string';
}
