import type { CancelReason } from '@ffgate/contracts';

/**
 * Cancels of jobs this replica did not hold when `job.cancel` arrived (still waiting in the queue,
 * or held by another replica). Remembered for a while so that a dispatch delivered later never
 * starts. Bounded in size and age.
 */
export class RecentCancels {
  readonly #entries = new Map<string, { reason: CancelReason; at: number }>();
  readonly #max: number;
  readonly #ttlMs: number;

  constructor(options: { max?: number; ttlMs?: number } = {}) {
    this.#max = options.max ?? 10_000;
    this.#ttlMs = options.ttlMs ?? 24 * 3600_000;
  }

  add(jobId: string, reason: CancelReason): void {
    this.#entries.delete(jobId);
    this.#entries.set(jobId, { reason, at: Date.now() });
    // Map iteration is insertion order: the first entries are the oldest
    while (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value as string);
  }

  get(jobId: string): CancelReason | undefined {
    const e = this.#entries.get(jobId);
    if (!e) return undefined;
    if (Date.now() - e.at > this.#ttlMs) {
      this.#entries.delete(jobId);
      return undefined;
    }
    return e.reason;
  }
}
