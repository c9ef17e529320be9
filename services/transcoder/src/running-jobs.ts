import { CANCEL_REASON_PRECEDENCE, type CancelReason, type JobDispatchEvent } from '@ffgate/contracts';
import type { EngineProcess } from './engine.ts';

/**
 * Why a running job is being stopped. A cancel reason ends the job `canceled`; `handback`
 * (drain timeout, stale revocation feed) gives the message back for redelivery instead.
 */
export type StopReason = CancelReason | 'handback';

export interface RunningJob {
  readonly job: JobDispatchEvent;
  readonly attempt: number;
  /** set once ffmpeg runs; before that a stop only prevents the spawn */
  process?: EngineProcess;
  readonly stopReasons: Set<StopReason>;
  /** epoch ms of the deprovisioning event that killed it (for ffgate_deprovision_to_kill_seconds) */
  deprovisionedAt?: number;
}

/** Signals per reason: SIGKILL whenever the output is discarded anyway; a graceful stop only for user cancels and drains. */
export function signalFor(reason: StopReason): 'SIGKILL' | 'SIGTERM' {
  return reason === 'user_request' || reason === 'handback' ? 'SIGTERM' : 'SIGKILL';
}

/** The cancel reason that wins among those recorded (contract precedence), or undefined. */
export function winningCancelReason(reasons: Iterable<StopReason>): CancelReason | undefined {
  const set = new Set(reasons);
  return CANCEL_REASON_PRECEDENCE.find((r) => set.has(r));
}

/**
 * The jobs this replica holds, indexed by job and by owner, so a deprovisioning event kills a
 * user's processes in O(jobs of that user), synchronously, in the event handler's first tick.
 */
export class RunningJobs {
  readonly #byJob = new Map<string, RunningJob>();
  readonly #byUser = new Map<string, Set<RunningJob>>();

  add(job: JobDispatchEvent, attempt: number): RunningJob {
    const entry: RunningJob = { job, attempt, stopReasons: new Set() };
    this.#byJob.set(job.jobId, entry);
    let set = this.#byUser.get(job.owner.userId);
    if (!set) this.#byUser.set(job.owner.userId, (set = new Set()));
    set.add(entry);
    return entry;
  }

  remove(entry: RunningJob): void {
    if (this.#byJob.get(entry.job.jobId) === entry) this.#byJob.delete(entry.job.jobId);
    const set = this.#byUser.get(entry.job.owner.userId);
    set?.delete(entry);
    if (set && set.size === 0) this.#byUser.delete(entry.job.owner.userId);
  }

  get(jobId: string): RunningJob | undefined {
    return this.#byJob.get(jobId);
  }

  ofUser(userId: string): readonly RunningJob[] {
    const set = this.#byUser.get(userId);
    return set ? [...set] : [];
  }

  all(): readonly RunningJob[] {
    return [...this.#byJob.values()];
  }

  get size(): number {
    return this.#byJob.size;
  }

  /**
   * Record the reason and signal the process now (no await). Returns true when a process was
   * signalled. A job not yet spawned keeps the reason and is stopped right after its spawn.
   */
  stop(entry: RunningJob, reason: StopReason, deprovisionedAt?: number): boolean {
    entry.stopReasons.add(reason);
    if (deprovisionedAt !== undefined && entry.deprovisionedAt === undefined) entry.deprovisionedAt = deprovisionedAt;
    const proc = entry.process;
    if (!proc) return false;
    // a harder signal than one already sent still goes out: SIGKILL overrides a graceful stop
    if (strongestSignal(entry.stopReasons) === 'SIGKILL') proc.kill();
    else proc.stop();
    return true;
  }
}

export function strongestSignal(reasons: Iterable<StopReason>): 'SIGKILL' | 'SIGTERM' {
  for (const r of reasons) if (signalFor(r) === 'SIGKILL') return 'SIGKILL';
  return 'SIGTERM';
}
