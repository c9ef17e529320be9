import type { Bus } from '@ffgate/bus';
import type { AdvisoryLock, Database } from '@ffgate/db';
import type { OutboxTable } from './table.ts';
import { outboxChannel, outboxLeaderLockName, outboxSchemaName } from './channel.ts';
import { consoleOutboxLogger, type OutboxLogger } from './logger.ts';
import { publishBatch, purgeSent, type BatchHooks, type OutboxRow } from './publish-batch.ts';
import { Wakeup } from './wakeup.ts';

export interface OutboxRelayOptions {
  database: Database;
  table: OutboxTable;
  bus: Bus;
  logger?: OutboxLogger;
  /** rows read and published per pass (default 256) */
  batchSize?: number;
  /** capped exponential backoff after a failed pass (default 50 ms → 2 s) */
  backoff?: { initialMs?: number; maxMs?: number };
  /** how often a follower tries to become leader (default 1 s) */
  leaderRetryMs?: number;
  /** safety poll while leading, in case a NOTIFY was missed (default 1 s); NOTIFY wakes the relay at once */
  safetyPollMs?: number;
  /** purge rows sent longer ago than `sentRetentionMs` (default 24 h), in batches; `false` keeps them */
  retention?: false | { sentRetentionMs?: number; purgeIntervalMs?: number; purgeBatchSize?: number };
  /** called after each pass with the rows that were acked and marked sent */
  onPublished?: (rows: OutboxRow[]) => void;
  /** test seams (see BatchHooks) */
  hooks?: BatchHooks;
}

export interface OutboxRelayStats {
  /** rows acked by the bus and marked sent (including msgId duplicates) */
  published: number;
  /** acks that reported a msgId duplicate */
  duplicates: number;
  /** failed passes (bus or database) */
  failures: number;
  /** age of the oldest row of the last successful pass when it was acked, in ms */
  lagMs: number;
  /** rows purged after their retention */
  purged: number;
}

/**
 * Publishes a service's outbox to the bus (see port.ts for the guarantees). One relay per outbox
 * leads at a time (session advisory lock); followers retry every `leaderRetryMs` and take over
 * when the leader's session dies. `start()` resolves after the first leadership attempt.
 */
export class OutboxRelay {
  readonly #opts: OutboxRelayOptions;
  readonly #schema: string;
  readonly #logger: OutboxLogger;
  readonly #wakeup = new Wakeup();
  readonly #stats: OutboxRelayStats = { published: 0, duplicates: 0, failures: 0, lagMs: 0, purged: 0 };
  #running = false;
  #leader = false;
  #loop: Promise<void> | undefined;
  #lastPurge = 0;

  constructor(options: OutboxRelayOptions) {
    this.#opts = options;
    this.#schema = outboxSchemaName(options.table);
    this.#logger = options.logger ?? consoleOutboxLogger;
  }

  get isLeader(): boolean {
    return this.#leader;
  }

  get stats(): Readonly<OutboxRelayStats> {
    return { ...this.#stats };
  }

  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    let firstAttempt!: () => void;
    const attempted = new Promise<void>((resolve) => (firstAttempt = resolve));
    this.#loop = this.#run(firstAttempt);
    await attempted;
  }

  /** stop publishing, give up leadership and wait for the pass in flight (idempotent) */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wakeup.interrupt();
    await this.#loop;
  }

  async #run(firstAttempt: () => void): Promise<void> {
    const lockName = outboxLeaderLockName(this.#schema);
    while (this.#running) {
      let lock: AdvisoryLock | null = null;
      try {
        lock = await this.#opts.database.tryAdvisoryLock(lockName);
      } catch (err) {
        this.#logger.warn({ err, schema: this.#schema }, 'outbox relay could not try the leader lock');
      }
      if (lock) await this.#lead(lock, firstAttempt);
      firstAttempt();
      if (this.#running) await this.#wakeup.sleep(this.#opts.leaderRetryMs ?? 1000, { wakeable: false });
    }
  }

  async #lead(lock: AdvisoryLock, becameLeader: () => void): Promise<void> {
    let lost = false;
    void lock.lost.then(() => {
      lost = true;
      this.#wakeup.interrupt();
    });
    const leading = () => this.#running && !lost;
    this.#leader = true;
    this.#logger.info({ schema: this.#schema }, 'outbox relay is the leader');
    let unlisten = await this.#listen();
    becameLeader();
    const initialMs = this.#opts.backoff?.initialMs ?? 50;
    const maxMs = this.#opts.backoff?.maxMs ?? 2000;
    let backoff = initialMs;
    try {
      while (leading()) {
        unlisten ??= await this.#listen();
        this.#wakeup.consume();
        if (!(await this.#drain(leading))) {
          await this.#wakeup.sleep(backoff, { wakeable: false });
          backoff = Math.min(backoff * 2, maxMs);
          continue;
        }
        backoff = initialMs;
        await this.#maybePurge();
        if (leading()) await this.#wakeup.sleep(this.#opts.safetyPollMs ?? 1000);
      }
    } finally {
      this.#leader = false;
      if (lost) this.#logger.warn({ schema: this.#schema }, 'outbox relay lost leadership');
      await unlisten?.().catch(() => undefined);
      await lock.release().catch(() => undefined);
    }
  }

  /** LISTEN for commits; without it the safety poll still publishes, only later */
  async #listen(): Promise<(() => Promise<void>) | undefined> {
    const wake = () => this.#wakeup.wake();
    try {
      return await this.#opts.database.listen(outboxChannel(this.#schema), wake, { onReconnect: wake });
    } catch (err) {
      this.#logger.warn({ err, schema: this.#schema }, 'outbox relay could not LISTEN; falling back to polling');
      return undefined;
    }
  }

  /** publish until the outbox is empty; false after a failure (the caller backs off) */
  async #drain(leading: () => boolean): Promise<boolean> {
    const batchSize = this.#opts.batchSize ?? 256;
    while (leading()) {
      let result;
      try {
        result = await publishBatch(this.#opts.database.db, this.#opts.table, this.#opts.bus, batchSize, this.#opts.hooks);
      } catch (err) {
        this.#stats.failures++;
        this.#logger.warn({ err, schema: this.#schema }, 'outbox relay pass failed');
        return false;
      }
      const { published, duplicates, failure } = result;
      if (published.length > 0) {
        this.#stats.published += published.length;
        this.#stats.duplicates += duplicates;
        this.#stats.lagMs = Date.now() - published[0].createdAt.getTime();
        this.#opts.onPublished?.(published);
      }
      if (failure !== undefined) {
        this.#stats.failures++;
        if ((failure as { code?: unknown }).code === 'FFGATE_CONTRACT_INVALID') {
          // enqueue validates, so this means the contract changed under a stored row: it will not
          // pass by retrying, and publishing past it would break per-resource order
          this.#logger.error({ err: failure, schema: this.#schema }, 'outbox row violates its event contract; the outbox is blocked until it is fixed');
        } else {
          this.#logger.warn({ err: failure, schema: this.#schema, acked: published.length }, 'outbox publish failed; retrying from the first unacked row');
        }
        return false;
      }
      if (result.read < batchSize) return true;
    }
    return true;
  }

  async #maybePurge(): Promise<void> {
    const retention = this.#opts.retention;
    if (retention === false) return;
    const interval = retention?.purgeIntervalMs ?? 60_000;
    if (Date.now() - this.#lastPurge < interval) return;
    this.#lastPurge = Date.now();
    const before = new Date(Date.now() - (retention?.sentRetentionMs ?? 24 * 3600_000));
    const limit = retention?.purgeBatchSize ?? 1000;
    try {
      this.#stats.purged += await purgeSent(this.#opts.database.db, this.#opts.table, before, limit);
    } catch (err) {
      this.#logger.warn({ err, schema: this.#schema }, 'outbox purge failed');
    }
  }
}
