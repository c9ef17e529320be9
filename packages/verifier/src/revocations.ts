/**
 * The in-memory set of revoked credentials, fed by `token.revoked` events (see feed.ts).
 *
 * Two kinds of entry: a single credential by `jti` (kept until that credential expires), and a
 * user "revoked before" time (every credential of the user issued at or before it is dead; kept
 * until the longest credential lifetime has passed, after which no such credential can be valid).
 * Times are epoch milliseconds (or Dates); `iat` is the JWT claim, in seconds.
 */
export interface RevocationViewOptions {
  /** longest lifetime the token service issues (default 1 hour): bounds how long user entries matter */
  maxCredentialLifetimeMs?: number;
  now?: () => number;
}

type Time = Date | number;
const ms = (t: Time) => (typeof t === 'number' ? t : t.getTime());

export class RevocationView {
  readonly #jtis = new Map<string, number>();
  readonly #usersBefore = new Map<string, number>();
  readonly #maxLifetimeMs: number;
  readonly #now: () => number;
  #lastFeedActivity: number | undefined;

  constructor(options: RevocationViewOptions = {}) {
    this.#maxLifetimeMs = options.maxCredentialLifetimeMs ?? 3_600_000;
    this.#now = options.now ?? Date.now;
  }

  /** Revoke one credential; `expiresAt` is its `exp`, after which the entry is pruned. */
  revokeJti(jti: string, expiresAt: Time): void {
    const exp = ms(expiresAt);
    this.#jtis.set(jti, Math.max(exp, this.#jtis.get(jti) ?? 0));
  }

  /** Revoke every credential of `userId` issued at or before `time`. Later times win; events may arrive out of order. */
  revokeUserBefore(userId: string, time: Time): void {
    const t = ms(time);
    this.#usersBefore.set(userId, Math.max(t, this.#usersBefore.get(userId) ?? -Infinity));
  }

  isRevoked(credential: { jti: string; sub: string; iat: number }): boolean {
    if (this.#jtis.has(credential.jti)) return true;
    const before = this.#usersBefore.get(credential.sub);
    return before !== undefined && credential.iat * 1000 <= before;
  }

  /** Drop entries that can no longer matter (their credentials have expired anyway). */
  prune(now: number = this.#now()): void {
    for (const [jti, exp] of this.#jtis) if (exp < now) this.#jtis.delete(jti);
    for (const [user, before] of this.#usersBefore) if (before + this.#maxLifetimeMs < now) this.#usersBefore.delete(user);
  }

  get size(): { jtis: number; users: number } {
    return { jtis: this.#jtis.size, users: this.#usersBefore.size };
  }

  /** The feed calls this whenever it proves alive (an event, or a connected check). */
  markFeedActivity(at: number = this.#now()): void {
    this.#lastFeedActivity = at;
  }

  /** Epoch ms of the last sign of life of the feed; undefined if it never reported. */
  get lastFeedActivity(): number | undefined {
    return this.#lastFeedActivity;
  }
}
