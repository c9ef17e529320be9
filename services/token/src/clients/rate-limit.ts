/**
 * Failed client authentications, counted per client id and per source IP in a fixed window. After
 * `maxFailures` in `windowMs`, further attempts are refused with 429 until the window ends — even
 * with the right secret, so guessing stays bounded. In-memory per replica: with N replicas an
 * attacker gets at most N × maxFailures guesses per window against 256-bit secrets.
 */
export interface FailureLimiterOptions {
  maxFailures?: number;
  windowMs?: number;
  /** bound on tracked keys, so a flood of distinct ids cannot exhaust memory */
  maxKeys?: number;
  now?: () => number;
}

export class FailureLimiter {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, { count: number; resetAt: number }>();

  constructor(options: FailureLimiterOptions = {}) {
    this.#max = options.maxFailures ?? 10;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#maxKeys = options.maxKeys ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  /** seconds until `keys` may try again, or 0 when none of them is blocked */
  blockedFor(keys: string[]): number {
    const now = this.#now();
    let wait = 0;
    for (const key of keys) {
      const e = this.#entries.get(key);
      if (e && e.resetAt > now && e.count >= this.#max) wait = Math.max(wait, Math.ceil((e.resetAt - now) / 1000));
    }
    return wait;
  }

  recordFailure(keys: string[]): void {
    const now = this.#now();
    if (this.#entries.size >= this.#maxKeys) this.#sweep(now);
    for (const key of keys) {
      const e = this.#entries.get(key);
      if (!e || e.resetAt <= now) this.#entries.set(key, { count: 1, resetAt: now + this.#windowMs });
      else e.count++;
    }
  }

  #sweep(now: number): void {
    for (const [k, e] of this.#entries) if (e.resetAt <= now) this.#entries.delete(k);
    // still full: forget the oldest half rather than grow without bound
    if (this.#entries.size >= this.#maxKeys) {
      let n = Math.floor(this.#entries.size / 2);
      for (const k of this.#entries.keys()) {
        if (n-- <= 0) break;
        this.#entries.delete(k);
      }
    }
  }
}
