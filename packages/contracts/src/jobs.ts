import { z } from 'zod';

/**
 * Job contracts between the job gateway and the transcoder workers.
 *
 * Streams (nats-server 2.9 compatible):
 * - JOBS (work queue, file): `jobs.<queue>` carries `job.dispatch`. One durable pull consumer per
 *   queue (`transcoder-<queue>`, filter `jobs.<queue>`), shared by every replica. Filters do not
 *   overlap, as a work-queue stream requires.
 * - JOB_EVENTS (limits, file, 7 days): the gateway ⇄ transcoder conversation about running jobs
 *   - `job.status.<jobId>`   `job.status`   transcoder → gateway (durable consumer in the gateway)
 *   - `job.progress.<jobId>` `job.progress` transcoder → gateway (durable; may be dropped when stale)
 *   - `job.cancel.<jobId>`   `job.cancel`   gateway → every transcoder (broadcast, deliver new)
 * Deprovisioning reaches transcoders straight from IDENTITY and TOKENS as broadcasts.
 *
 * Ordering: a job's status events carry `seq`, which grows per job across attempts
 * (attempt * 1000 + n). The gateway applies a status only when it is newer than the stored one
 * and never moves a job out of a terminal status (a late `running` never overwrites `canceled`).
 */
const DateTime = z.iso.datetime({ offset: true });
const Id = z.string().min(1).max(200);

export const JobStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'canceled']);
export type JobStatus = z.infer<typeof JobStatus>;
export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'canceled'];

/** When several apply, the first in this list wins. */
export const CancelReason = z.enum([
  'owner_deprovisioned',
  'role_revoked',
  'credential_revoked',
  'user_request',
  'timeout',
  'worker_lost',
]);
export type CancelReason = z.infer<typeof CancelReason>;
export const CANCEL_REASON_PRECEDENCE: readonly CancelReason[] = CancelReason.options;

/** The owner of a job: the SCIM user it runs on behalf of, and the credential it was submitted with. */
export const JobOwner = z.object({
  userId: Id,
  userName: z.string().min(1),
  clientId: z.string().nullable(),
  jti: z.string().min(1),
  /**
   * the credential's `iat` (seconds): lets workers apply user-wide revocations (`revokedBefore`)
   * exactly. Optional; without it a worker assumes the credential was issued at dispatch time.
   */
  iat: z.number().int().nonnegative().optional(),
});
export type JobOwner = z.infer<typeof JobOwner>;

export const JobDispatchEvent = z.object({
  id: Id,
  type: z.literal('job.dispatch'),
  time: DateTime,
  jobId: Id,
  owner: JobOwner,
  profile: z.string().min(1),
  queue: z.string().min(1),
  /** media paths relative to FFGATE_MEDIA_ROOT: `shared/…` or `home/…` (already validated by the gateway) */
  input: z.string().min(1),
  output: z.string().min(1),
  limits: z.object({ maxRuntimeSec: z.number().int().positive(), maxOutputBytes: z.number().int().positive() }),
  /** W3C trace context of the submit request travels in headers, not here */
});
export type JobDispatchEvent = z.infer<typeof JobDispatchEvent>;

export const JobError = z.object({ code: z.string().min(1), message: z.string() });
export type JobError = z.infer<typeof JobError>;

export const JobStatusEvent = z.object({
  id: Id,
  type: z.literal('job.status'),
  time: DateTime,
  jobId: Id,
  seq: z.number().int().nonnegative(),
  status: JobStatus,
  worker: z.string().min(1),
  attempt: z.number().int().positive(),
  pid: z.number().int().positive().optional(),
  exitCode: z.number().int().nullable().optional(),
  error: JobError.optional(),
  cancelReason: CancelReason.optional(),
});
export type JobStatusEvent = z.infer<typeof JobStatusEvent>;

export const JobProgressEvent = z.object({
  id: Id,
  type: z.literal('job.progress'),
  time: DateTime,
  jobId: Id,
  seq: z.number().int().nonnegative(),
  percent: z.number().min(0).max(100).nullable(),
  fps: z.number().nonnegative().nullable(),
  speed: z.number().nonnegative().nullable(),
  outTimeMs: z.number().nonnegative().nullable(),
});
export type JobProgressEvent = z.infer<typeof JobProgressEvent>;

export const JobCancelEvent = z.object({
  id: Id,
  type: z.literal('job.cancel'),
  time: DateTime,
  jobId: Id,
  reason: CancelReason,
});
export type JobCancelEvent = z.infer<typeof JobCancelEvent>;

export const JobsStream = {
  name: 'JOBS',
  subjects: ['jobs.>'],
  storage: 'file',
  retention: 'workqueue',
} as const;

export const JobEventsStream = {
  name: 'JOB_EVENTS',
  subjects: ['job.>'],
  storage: 'file',
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
} as const;

export const jobDispatchSubject = (queue: string) => `jobs.${queue}`;
export const jobStatusSubject = (jobId: string) => `job.status.${jobId}`;
export const jobProgressSubject = (jobId: string) => `job.progress.${jobId}`;
export const jobCancelSubject = (jobId: string) => `job.cancel.${jobId}`;

/** Schema for a `jobs.*` / `job.*` subject, or undefined. */
export function jobSchemaForSubject(subject: string): z.ZodType<{ id: string; type: string }> | undefined {
  if (subject.startsWith('jobs.')) return JobDispatchEvent;
  if (subject.startsWith('job.status.')) return JobStatusEvent;
  if (subject.startsWith('job.progress.')) return JobProgressEvent;
  if (subject.startsWith('job.cancel.')) return JobCancelEvent;
  return undefined;
}
