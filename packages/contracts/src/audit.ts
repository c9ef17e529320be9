import { z } from 'zod';

/**
 * Audit records: append-only, linking every FFmpeg operation, SCIM write and credential
 * issue/revoke to the provisioned account. Writers publish `audit.record` on
 * `audit.<writer-kind>.<userId>` into stream AUDIT (file, limits, kept for good); the audit
 * store (owned by the gateway) ingests them in stream order and hash-chains them per writer
 * (`writer`, e.g. `scim`, `token`, `gateway`, `transcoder:<replica>`): each stored record's hash
 * covers its canonical JSON and the previous hash of the same writer, so editing, deleting or
 * reordering one stored record breaks that writer's chain (`ffgate audit verify`).
 */
const DateTime = z.iso.datetime({ offset: true });

export const AuditAction = z.enum([
  'scim.user.created',
  'scim.user.updated',
  'scim.user.deactivated',
  'scim.user.reactivated',
  'scim.user.deleted',
  'scim.group.created',
  'scim.group.updated',
  'scim.group.deleted',
  'credential.issued',
  'credential.revoked',
  'client.created',
  'client.disabled',
  'job.submitted',
  'job.started',
  'job.finished',
  'job.canceled',
]);
export type AuditAction = z.infer<typeof AuditAction>;

export const AuditRecordEvent = z.object({
  id: z.string().min(1),
  type: z.literal('audit.record'),
  time: DateTime,
  writer: z.string().min(1).max(200),
  action: AuditAction,
  /** SCIM user id the record is about (null only for records about groups or clients without a user) */
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  clientId: z.string().nullable(),
  jti: z.string().nullable(),
  jobId: z.string().nullable(),
  /** action-specific facts: worker, pid, profile, ffmpeg argument list, exit code, reason, actor … */
  details: z.record(z.string(), z.unknown()),
});
export type AuditRecordEvent = z.infer<typeof AuditRecordEvent>;

export const AuditStream = { name: 'AUDIT', subjects: ['audit.>'], storage: 'file' } as const;

/** `audit.<writer kind>.<userId or _>` — the writer kind is the part of `writer` before `:`. */
export function auditSubject(writer: string, userId: string | null): string {
  const kind = writer.split(':')[0].replace(/[^A-Za-z0-9_-]/g, '_');
  return `audit.${kind}.${userId ?? '_'}`;
}
