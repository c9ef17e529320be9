import { randomUUID } from 'node:crypto';
import type { Bus } from '@ffgate/bus';
import { auditRecord, publishAudit } from '@ffgate/audit';
import {
  jobProgressSubject,
  jobStatusSubject,
  type AuditAction,
  type JobDispatchEvent,
  type JobProgressEvent,
  type JobStatusEvent,
} from '@ffgate/contracts';
import type { EngineProgress } from './engine.ts';

export type StatusFields = Pick<JobStatusEvent, 'status'> & Partial<Pick<JobStatusEvent, 'pid' | 'exitCode' | 'error' | 'cancelReason'>>;

/**
 * Status, progress and audit events of this replica, straight to NATS (transcoders have no outbox).
 * Status `seq` = attempt * 1000 + n (the contract's ordering rule); progress has its own counter
 * (attempt * 1_000_000 + n) since a long encode reports more than 999 times. Status events carry
 * msgId `<jobId>:status:<seq>`, so a retried publish is stored once.
 */
export class Reporter {
  readonly #bus: Bus;
  readonly #worker: string;
  readonly #writer: string;
  readonly #now: () => number;

  constructor(options: { bus: Bus; replicaId: string; now?: () => number }) {
    this.#bus = options.bus;
    this.#worker = options.replicaId;
    this.#writer = `transcoder:${options.replicaId}`;
    this.#now = options.now ?? Date.now;
  }

  get worker(): string {
    return this.#worker;
  }

  async status(job: JobDispatchEvent, attempt: number, n: number, fields: StatusFields): Promise<JobStatusEvent> {
    const seq = attempt * 1000 + n;
    const event: JobStatusEvent = {
      id: randomUUID(),
      type: 'job.status',
      time: new Date(this.#now()).toISOString(),
      jobId: job.jobId,
      seq,
      worker: this.#worker,
      attempt,
      ...fields,
    };
    await this.#bus.publish(jobStatusSubject(job.jobId), event, { msgId: `${job.jobId}:status:${seq}` });
    return event;
  }

  async progress(job: JobDispatchEvent, attempt: number, n: number, p: EngineProgress): Promise<void> {
    const event: JobProgressEvent = {
      id: randomUUID(),
      type: 'job.progress',
      time: new Date(this.#now()).toISOString(),
      jobId: job.jobId,
      seq: attempt * 1_000_000 + n,
      percent: p.percent === null ? null : Math.min(100, Math.max(0, p.percent)),
      fps: p.fps === null ? null : Math.max(0, p.fps),
      speed: p.speed === null ? null : Math.max(0, p.speed),
      outTimeMs: p.outTimeMs === null ? null : Math.max(0, p.outTimeMs),
    };
    await this.#bus.publish(jobProgressSubject(job.jobId), event);
  }

  async audit(action: AuditAction, job: JobDispatchEvent, details: Record<string, unknown>): Promise<void> {
    const record = auditRecord({
      writer: this.#writer,
      action,
      userId: job.owner.userId,
      userName: job.owner.userName,
      clientId: job.owner.clientId,
      jti: job.owner.jti,
      jobId: job.jobId,
      time: new Date(this.#now()),
      details: { worker: this.#worker, profile: job.profile, queue: job.queue, ...details },
    });
    await publishAudit(this.#bus, record);
  }
}

/**
 * Publish with a few quick retries (a blip in the connection), for events that must not be lost:
 * terminal statuses and audit records. Rejects with the last error when every try failed; the
 * caller then hands the message back so the outcome is decided again on redelivery.
 */
export async function publishPersistently<T>(publish: () => Promise<T>, options: { tries?: number; delayMs?: number } = {}): Promise<T> {
  const tries = options.tries ?? 5;
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      return await publish();
    } catch (err) {
      last = err;
      if (i + 1 < tries) await new Promise((r) => setTimeout(r, (options.delayMs ?? 500) * 2 ** i));
    }
  }
  throw last;
}
