import type { CancelReason, JobStatus } from '@ffgate/contracts';
import type { JobView } from '../http/schemas.ts';
import type { jobs } from '../store/schema.ts';

export type JobRow = typeof jobs.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A stored job as the API shows it. */
export function toJobView(row: JobRow): JobView {
  const p = row.progress as { percent?: number | null; fps?: number | null; speed?: number | null; outTimeMs?: number | null } | null;
  return {
    id: row.id,
    owner: { id: row.ownerId, userName: row.ownerUserName },
    clientId: row.clientId,
    profile: row.profile,
    queue: row.queue,
    input: row.input,
    output: row.output,
    metadata: row.metadata ?? {},
    status: row.status as JobStatus,
    progress: p ? { percent: p.percent ?? null, fps: p.fps ?? null, speed: p.speed ?? null, outTimeMs: p.outTimeMs ?? null } : null,
    error: row.error ?? null,
    cancelReason: (row.cancelReason as CancelReason | null) ?? null,
    attempt: row.attempt,
    createdAt: row.createdAt.toISOString(),
    dispatchedAt: iso(row.dispatchedAt),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
  };
}
