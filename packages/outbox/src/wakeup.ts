/**
 * A sleep that a signal can cut short. `wake()` before `sleep()` is remembered (a NOTIFY that
 * arrives while a batch is being published must trigger another pass, not be lost).
 */
export class Wakeup {
  #pending = false;
  #onWake: (() => void) | undefined;
  #onInterrupt: (() => void) | undefined;

  /** remember a pending wake and end a wakeable sleep */
  wake(): void {
    this.#pending = true;
    this.#onWake?.();
  }

  /** end any sleep, wakeable or not (stop, leadership lost) */
  interrupt(): void {
    this.#onInterrupt?.();
  }

  /** forget a pending wake: the pass about to start sees everything committed so far */
  consume(): void {
    this.#pending = false;
  }

  /**
   * Sleep up to `ms`. A wakeable sleep returns at once when a wake is pending or arrives; a
   * backoff (`wakeable: false`) is only cut short by `interrupt()`, so new writes do not hammer a
   * bus that is down.
   */
  async sleep(ms: number, { wakeable = true } = {}): Promise<void> {
    if (wakeable && this.#pending) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#onWake = undefined;
        this.#onInterrupt = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#onInterrupt = done;
      this.#onWake = wakeable ? done : undefined;
    });
  }
}
