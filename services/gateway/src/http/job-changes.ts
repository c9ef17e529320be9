import { EventEmitter } from 'node:events';
import type { Database } from '@ffgate/db';
import { JOB_CHANGES_CHANNEL } from '../store/locks.ts';

/**
 * Fans the database's job-change NOTIFYs (from every replica) out to this replica's SSE streams.
 * One LISTEN session per replica, whatever the number of streams.
 */
export class JobChanges {
  readonly #emitter = new EventEmitter();
  #unlisten: (() => Promise<void>) | undefined;

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  async start(database: Database): Promise<void> {
    this.#unlisten = await database.listen(JOB_CHANGES_CHANNEL, (jobId) => this.#emitter.emit(jobId), {
      // notifications sent while the session was down are gone: wake every stream to re-read
      onReconnect: () => this.#emitter.emit('*'),
    });
  }

  /** call `fn` when `jobId` may have changed; returns the unsubscribe function */
  subscribe(jobId: string, fn: () => void): () => void {
    this.#emitter.on(jobId, fn);
    this.#emitter.on('*', fn);
    return () => {
      this.#emitter.off(jobId, fn);
      this.#emitter.off('*', fn);
    };
  }

  async stop(): Promise<void> {
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    await unlisten?.();
    this.#emitter.emit('*');
  }
}
