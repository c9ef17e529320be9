import { createLocalJWKSet, type CryptoKey, type JSONWebKeySet, type JWTHeaderParameters } from 'jose';
import { CredentialError } from './errors.ts';

/**
 * A JWKS fetched over HTTP, cached, refetched when a token names an unknown `kid`.
 *
 * Why not jose's `createRemoteJWKSet`:
 * - its cooldown counts from the last *successful* fetch, so while the token service is down every
 *   token with an unknown kid triggers another fetch; here every attempt starts the interval, so a
 *   flood of made-up kids costs at most one fetch per `minRefetchIntervalMs` (default 10 s, not 30 s:
 *   a rotated-in key is picked up sooner);
 * - when its cache is older than `cacheMaxAge` it blocks every verification on the refetch and fails
 *   them all if it fails; here a stale set is refreshed in the background and kept if that fails;
 * - "the key set cannot be fetched" (our outage, 503) stays distinct from "no such key" (the token's
 *   problem, 401);
 * - the clock and fetch are injectable, and the fetch count is visible, so tests count fetches.
 */
export interface RemoteJwksOptions {
  url: string | URL;
  fetchImpl?: typeof fetch;
  /** at most one refetch per this interval, whatever the tokens say (default 10 s) */
  minRefetchIntervalMs?: number;
  /** refresh in the background once the set is this old, so retired keys drop out (default 10 min) */
  maxAgeMs?: number;
  /** per request (default 5 s) */
  timeoutMs?: number;
  now?: () => number;
}

type LocalSet = ReturnType<typeof createLocalJWKSet>;

export class RemoteJwks {
  readonly #url: string;
  readonly #fetch: typeof fetch;
  readonly #minIntervalMs: number;
  readonly #maxAgeMs: number;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  #set: { local: LocalSet; kids: ReadonlySet<string>; fetchedAt: number } | undefined;
  #lastAttemptAt = -Infinity;
  #inFlight: Promise<void> | undefined;
  #lastError: unknown;
  /** number of HTTP fetches started (observability and tests) */
  fetchCount = 0;

  constructor(options: RemoteJwksOptions) {
    this.#url = String(options.url);
    this.#fetch = options.fetchImpl ?? fetch;
    this.#minIntervalMs = options.minRefetchIntervalMs ?? 10_000;
    this.#maxAgeMs = options.maxAgeMs ?? 600_000;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#now = options.now ?? Date.now;
  }

  /** Key for a token header; throws UNKNOWN_KEY, or KEYS_UNAVAILABLE when no set was ever fetched. */
  async getKey(header: JWTHeaderParameters): Promise<CryptoKey> {
    const kid = header.kid ?? '';
    if (!this.#set || !this.#set.kids.has(kid)) await this.#refresh();
    else if (this.#now() - this.#set.fetchedAt >= this.#maxAgeMs) void this.#refresh();

    const set = this.#set;
    if (!set) throw new CredentialError('FFGATE_CRED_KEYS_UNAVAILABLE', 'the key set could not be fetched', { cause: this.#lastError });
    if (!set.kids.has(kid)) throw new CredentialError('FFGATE_CRED_UNKNOWN_KEY', `no key with kid "${kid}"`);
    return (await set.local(header)) as CryptoKey;
  }

  /** Fetch unless one is running (then join it) or the last attempt was too recent. Never rejects. */
  #refresh(): Promise<void> {
    if (this.#inFlight) return this.#inFlight;
    // with no keys at all nothing verifies until a fetch succeeds: retry every second, not every 10 s
    const interval = this.#set ? this.#minIntervalMs : Math.min(this.#minIntervalMs, 1_000);
    if (this.#now() - this.#lastAttemptAt < interval) return Promise.resolve();
    this.#lastAttemptAt = this.#now();
    this.#inFlight = this.#load().finally(() => (this.#inFlight = undefined));
    return this.#inFlight;
  }

  async #load(): Promise<void> {
    this.fetchCount++;
    try {
      const res = await this.#fetch(this.#url, {
        headers: { accept: 'application/jwk-set+json, application/json' },
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      if (res.status !== 200) throw new Error(`JWKS endpoint answered ${res.status}`);
      const jwks = (await res.json()) as JSONWebKeySet;
      const local = createLocalJWKSet(jwks);
      const kids = new Set(jwks.keys.map((k) => k.kid).filter((k): k is string => typeof k === 'string'));
      this.#set = { local, kids, fetchedAt: this.#now() };
      this.#lastError = undefined;
    } catch (err) {
      // keep the previous set: a token service outage must not reject credentials it already signed
      this.#lastError = err;
    }
  }
}
