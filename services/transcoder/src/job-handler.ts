import { ack, retry, type Delivery, type Outcome } from '@ffgate/bus';
import type { CancelReason, JobDispatchEvent, JobError } from '@ffgate/contracts';
import { admit, type AdmissionDeps } from './admission.ts';
import { errorCodeOf, TRANSIENT_ENGINE_CODES, type EngineExit, type EngineProgress, type PreparedJob, type TranscodeEngine } from './engine.ts';
import type { TranscoderMetrics } from './metrics.ts';
import { publishPersistently, type Reporter, type StatusFields } from './reporter.ts';
import { winningCancelReason, type RunningJob, type RunningJobs } from './running-jobs.ts';
import type { Slots } from '@ffgate/bus';

export interface JobHandlerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JobHandlerDeps {
  engine: TranscodeEngine;
  running: RunningJobs;
  reporter: Reporter;
  admission: AdmissionDeps;
  slots: Slots;
  metrics: TranscoderMetrics;
  logger: JobHandlerLogger;
  maxAttempts: number;
  /** fail closed: NATS connected and the revocation feed fresh */
  mayStart(): boolean;
  /** draining: start nothing more, hand messages back */
  isDraining(): boolean;
  heartbeatMs?: number;
  /** at most one progress event per this many ms (default 250: ≤ 4/s) */
  progressIntervalMs?: number;
  now?: () => number;
}

/** Backoff between attempts of a transient failure: 2 s, 4 s, 8 s … capped at 30 s. */
export const attemptBackoffMs = (attempt: number): number => Math.min(2_000 * 2 ** Math.max(0, attempt - 1), 30_000);

/**
 * The handler of `job.dispatch` deliveries. The message is held (with `working()` heartbeats)
 * until the job reached a terminal state, which is published before the ack; so a replica killed
 * mid-job lets JetStream redeliver it (attempt n+1), and a delivery past the attempt bound means
 * an earlier holder was lost: the job ends `canceled`/`worker_lost` and is acked (nats-server 2.9
 * would otherwise leave a hopeless message in the work queue).
 */
export function createJobHandler(deps: JobHandlerDeps): (delivery: Delivery<JobDispatchEvent>) => Promise<Outcome> {
  const { engine, running, reporter, slots, metrics, logger, maxAttempts } = deps;
  const now = deps.now ?? Date.now;
  const heartbeatMs = deps.heartbeatMs ?? 10_000;
  const progressIntervalMs = deps.progressIntervalMs ?? 250;

  /** publish a terminal status (then the audit record), ack; or hand back when NATS is away */
  async function end(job: JobDispatchEvent, attempt: number, n: number, fields: StatusFields, audit?: { action: 'job.finished' | 'job.canceled'; details: Record<string, unknown> }): Promise<Outcome> {
    try {
      await publishPersistently(() => reporter.status(job, attempt, n, fields));
    } catch (err) {
      logger.warn({ jobId: job.jobId, err }, 'could not publish the final status; handing the job back');
      return retry(attemptBackoffMs(attempt));
    }
    metrics.jobEnded(fields.status, fields.cancelReason ?? fields.error?.code ?? '');
    if (audit) await publishPersistently(() => reporter.audit(audit.action, job, audit.details)).catch((err) => logger.error({ jobId: job.jobId, err }, 'audit record lost'));
    logger.info({ jobId: job.jobId, attempt, status: fields.status, cancelReason: fields.cancelReason, error: fields.error?.code }, 'job ended');
    return ack;
  }

  const cancel = (job: JobDispatchEvent, attempt: number, n: number, reason: CancelReason, details: Record<string, unknown>) =>
    end(job, attempt, n, { status: 'canceled', cancelReason: reason }, { action: 'job.canceled', details: { reason, ...details } });

  /** a failure another attempt might cure: retry with backoff, or end `failed` on the last attempt */
  const retryOrFail = (job: JobDispatchEvent, attempt: number, n: number, error: JobError): Promise<Outcome> | Outcome => {
    if (attempt < maxAttempts) {
      logger.warn({ jobId: job.jobId, attempt, error }, 'transient failure; the job will be retried');
      return retry(attemptBackoffMs(attempt));
    }
    return end(job, attempt, n, { status: 'failed', error }, { action: 'job.finished', details: { error } });
  };

  async function run(entry: RunningJob, delivery: Delivery<JobDispatchEvent>): Promise<Outcome> {
    const { job, attempt } = entry;
    let prepared: PreparedJob;
    try {
      prepared = await engine.prepare(job);
    } catch (err) {
      const error = { code: errorCodeOf(err), message: (err as Error).message };
      if (TRANSIENT_ENGINE_CODES.has(error.code)) return retryOrFail(job, attempt, 1, error);
      return end(job, attempt, 1, { status: 'failed', error }, { action: 'job.finished', details: { error } });
    }
    if (entry.stopReasons.size > 0) return settleStopped(entry, prepared, 1, null);

    let n = 0;
    let lastProgressAt = 0;
    const onProgress = (p: EngineProgress) => {
      const t = now();
      if (t - lastProgressAt < progressIntervalMs) return;
      lastProgressAt = t;
      reporter.progress(job, attempt, ++n, p).catch(() => undefined); // progress may be lost; status may not
    };
    let proc;
    try {
      proc = await engine.spawn(prepared, { onProgress, timeoutMs: job.limits.maxRuntimeSec * 1000, maxOutputBytes: job.limits.maxOutputBytes });
    } catch (err) {
      await engine.discard(prepared);
      return retryOrFail(job, attempt, 1, { code: errorCodeOf(err), message: (err as Error).message });
    }
    entry.process = proc;
    // stopped while spawning: the kill goes out now (running.stop could not signal before)
    if (entry.stopReasons.size > 0) running.stop(entry, [...entry.stopReasons][0]);
    delivery.working();

    // args name the input as /proc/self/fd/3 (pinned): the record says which file that was
    const started = { pid: proc.pid, args: prepared.args, input: job.input, inputPath: prepared.inputPath, attempt };
    reporter.status(job, attempt, 1, { status: 'running', pid: proc.pid }).catch((err) => logger.warn({ jobId: job.jobId, err }, 'running status not published'));
    reporter.audit('job.started', job, started).catch((err) => logger.error({ jobId: job.jobId, err }, 'audit record lost'));
    logger.info({ jobId: job.jobId, attempt, pid: proc.pid, user: job.owner.userId }, 'ffmpeg started');

    const exit = await proc.exited;
    if (entry.deprovisionedAt !== undefined) metrics.deprovisionToKill((exit.exitedAt - entry.deprovisionedAt) / 1000);
    return settleExit(entry, prepared, exit);
  }

  async function settleStopped(entry: RunningJob, prepared: PreparedJob, n: number, exit: EngineExit | null): Promise<Outcome> {
    const { job, attempt } = entry;
    await engine.discard(prepared);
    // a deprovisioning that also applies now wins over a lower-ranked reason that got here first
    const current = admit(deps.admission, job);
    if (current.kind === 'cancel') entry.stopReasons.add(current.reason);
    const reason = winningCancelReason(entry.stopReasons);
    if (!reason) {
      logger.info({ jobId: job.jobId, attempt }, 'job stopped and handed back for redelivery');
      // the trail links every started ffmpeg to its end, even when the job itself goes on elsewhere
      if (entry.process) {
        const details = { status: 'handed_back', exitCode: exit?.exitCode ?? null, signal: exit?.signal ?? null, pid: entry.process.pid, attempt };
        await reporter.audit('job.finished', job, details).catch((err) => logger.warn({ jobId: job.jobId, err }, 'audit record lost'));
      }
      return retry(0);
    }
    return cancel(job, attempt, n, reason, { exitCode: exit?.exitCode ?? null, signal: exit?.signal ?? null, pid: entry.process?.pid ?? null });
  }

  async function settleExit(entry: RunningJob, prepared: PreparedJob, exit: EngineExit): Promise<Outcome> {
    const { job, attempt } = entry;
    const facts = { exitCode: exit.exitCode, signal: exit.signal, pid: entry.process?.pid ?? null };
    if (exit.outcome === 'timed_out') entry.stopReasons.add('timeout');
    if (entry.stopReasons.size > 0) {
      const outcome = await settleStopped(entry, prepared, 2, exit);
      return outcome;
    }
    if (exit.outcome === 'succeeded') {
      try {
        await engine.commit(prepared);
      } catch (err) {
        await engine.discard(prepared);
        const error = { code: errorCodeOf(err), message: (err as Error).message };
        return end(job, attempt, 2, { status: 'failed', error, exitCode: exit.exitCode }, { action: 'job.finished', details: { ...facts, error } });
      }
      return end(job, attempt, 2, { status: 'succeeded', exitCode: exit.exitCode }, { action: 'job.finished', details: { ...facts, status: 'succeeded' } });
    }
    await engine.discard(prepared);
    const error = exit.error ?? { code: 'FFGATE_FFMPEG_FAILED', message: 'ffmpeg failed' };
    // killed by someone else (OOM killer, an operator): not the job's fault, try again
    if (exit.outcome === 'killed' || exit.outcome === 'stopped' || error.code === 'FFGATE_FFMPEG_MISSING') return retryOrFail(job, attempt, 2, error);
    return end(job, attempt, 2, { status: 'failed', error, exitCode: exit.exitCode }, { action: 'job.finished', details: { ...facts, error } });
  }

  return async (delivery) => {
    const job = delivery.event;
    const attempt = delivery.deliveryCount;
    const heartbeat = setInterval(() => delivery.working(), heartbeatMs);
    try {
      if (attempt > maxAttempts) {
        // every earlier attempt either ended the job or handed it back within the bound: this one was lost
        return await cancel(job, attempt, 1, 'worker_lost', { error: `delivered ${attempt} times; an earlier worker was lost` });
      }
      if (!deps.mayStart()) return retry(attemptBackoffMs(1));
      await slots.acquire();
      try {
        if (deps.isDraining()) return retry(0);
        if (!deps.mayStart()) return retry(attemptBackoffMs(1));
        const decision = admit(deps.admission, job);
        if (decision.kind === 'unknown-owner') {
          if (attempt < maxAttempts) return retry(attemptBackoffMs(attempt));
          return await cancel(job, attempt, 1, 'owner_deprovisioned', { error: 'the owner is unknown to this worker' });
        }
        if (decision.kind === 'cancel') return await cancel(job, attempt, 1, decision.reason, { error: decision.message });
        const entry = running.add(job, attempt);
        metrics.setRunning(running.size);
        try {
          return await run(entry, delivery);
        } finally {
          running.remove(entry);
          metrics.setRunning(running.size);
        }
      } finally {
        slots.release();
      }
    } finally {
      clearInterval(heartbeat);
    }
  };
}
