/**
 * Tells when a broadcast replay has reached what its stream held at start-up: jobs must not start
 * against a half-replayed identity or revocation view (a deactivated user would look active). The
 * target is the stream's last sequence when the replica started (0: nothing to replay). A replay
 * that stays quiet for `quietMs` (10 s) also counts as caught up: the last stored message may not
 * match the consumer's filter, so its sequence never arrives. An unknown target (the stream's state
 * could not be read) relies on that quiet period alone rather than on nothing: failing open here
 * would admit jobs of users whose deactivation has not been replayed yet.
 */
export class CatchUp {
  readonly #target: number | undefined;
  readonly #quietMs: number;
  #seen = 0;
  #lastActivity = Date.now();
  #done = false;

  constructor(target: number | undefined, quietMs = 10_000) {
    this.#target = target;
    this.#quietMs = quietMs;
    if (target === 0) this.#done = true;
  }

  saw(seq: number): void {
    this.#seen = Math.max(this.#seen, seq);
    this.#lastActivity = Date.now();
  }

  get caughtUp(): boolean {
    if (this.#done) return true;
    if ((this.#target !== undefined && this.#seen >= this.#target) || Date.now() - this.#lastActivity >= this.#quietMs) this.#done = true;
    return this.#done;
  }

  get progress(): { seen: number; target: number | undefined } {
    return { seen: this.#seen, target: this.#target };
  }
}
