import { z } from 'zod';
import { CancelReason, JobStatus } from '@ffgate/contracts';

/**
 * The gateway's HTTP shapes, declared once: responses are built to these types, and the OpenAPI
 * document (openapi.ts) is generated from them with `z.toJSONSchema`, so the two cannot drift.
 */
const DateTime = z.iso.datetime({ offset: true });
const Nullable = <T extends z.ZodType>(t: T) => t.nullable();

/** Largest accepted JSON body; bigger submits are refused with 413/400 before parsing. */
export const MAX_SPEC_BYTES = 16 * 1024;
export const MAX_PATH_LENGTH = 1024;

export const SubmitJobRequest = z.strictObject({
  profile: z.string().min(1).max(64),
  input: z.string().min(1).max(MAX_PATH_LENGTH),
  output: z.string().min(1).max(MAX_PATH_LENGTH),
  metadata: z.record(z.string().max(128), z.unknown()).optional(),
});
export type SubmitJobRequest = z.infer<typeof SubmitJobRequest>;

export const JobProgress = z.object({
  percent: Nullable(z.number()),
  fps: Nullable(z.number()),
  speed: Nullable(z.number()),
  outTimeMs: Nullable(z.number()),
});

export const JobView = z.object({
  id: z.string(),
  owner: z.object({ id: z.string(), userName: z.string() }),
  clientId: Nullable(z.string()),
  profile: z.string(),
  queue: z.string(),
  input: z.string(),
  output: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  status: JobStatus,
  progress: Nullable(JobProgress),
  error: Nullable(z.object({ code: z.string(), message: z.string() })),
  cancelReason: Nullable(CancelReason),
  attempt: z.number().int(),
  createdAt: DateTime,
  dispatchedAt: Nullable(DateTime),
  startedAt: Nullable(DateTime),
  finishedAt: Nullable(DateTime),
});
export type JobView = z.infer<typeof JobView>;

export const JobList = z.object({
  items: z.array(JobView),
  /** pass as `cursor` to get the next page; null on the last page */
  nextCursor: Nullable(z.string()),
});

export const ProfileView = z.object({ name: z.string(), description: z.string(), queue: z.string() });
export const ProfileList = z.object({ items: z.array(ProfileView) });

export const CancelRequest = z.strictObject({}).optional();

/** RFC 9457 problem details plus our stable code. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  code: z.string(),
});

export const AuditRecordView = z.object({
  id: z.string(),
  time: z.string(),
  writer: z.string(),
  writerSeq: z.number().int(),
  action: z.string(),
  userId: Nullable(z.string()),
  userName: Nullable(z.string()),
  clientId: Nullable(z.string()),
  jti: Nullable(z.string()),
  jobId: Nullable(z.string()),
  details: z.record(z.string(), z.unknown()),
  prevHash: Nullable(z.string()),
  hash: z.string(),
});
export const AuditList = z.object({ items: z.array(AuditRecordView) });

const BrokenLink = z.object({ writer: z.string(), id: z.string(), writerSeq: z.number().int(), reason: z.string() });
export const AuditVerification = z.object({
  ok: z.boolean(),
  writers: z.array(z.object({ writer: z.string(), records: z.number().int(), lastHash: Nullable(z.string()), ok: z.boolean() })),
  firstBroken: BrokenLink.optional(),
  broken: z.array(BrokenLink),
});

export const ListJobsQuery = z.object({
  status: JobStatus.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});
