import { randomUUID } from 'node:crypto';
import type { Bus, PublishAck } from '@ffgate/bus';
import { auditSubject, AuditRecordEvent, type AuditAction } from '@ffgate/contracts';

export interface AuditRecordInput {
  writer: string;
  action: AuditAction;
  userId?: string | null;
  userName?: string | null;
  clientId?: string | null;
  jti?: string | null;
  jobId?: string | null;
  details?: Record<string, unknown>;
  /** defaults: a new UUID and now */
  id?: string;
  time?: Date | string;
}

/** A valid `audit.record` event (validated here so a writer learns of a bad record at once). */
export function auditRecord(input: AuditRecordInput): AuditRecordEvent {
  const time = input.time === undefined ? new Date() : new Date(input.time);
  return AuditRecordEvent.parse({
    id: input.id ?? randomUUID(),
    type: 'audit.record',
    time: time.toISOString(),
    writer: input.writer,
    action: input.action,
    userId: input.userId ?? null,
    userName: input.userName ?? null,
    clientId: input.clientId ?? null,
    jti: input.jti ?? null,
    jobId: input.jobId ?? null,
    details: input.details ?? {},
  });
}

/** The outbox message (or bus publish arguments) for a record: subject `audit.<writer kind>.<user>`. */
export function auditMessage(record: AuditRecordEvent): { subject: string; event: AuditRecordEvent & Record<string, unknown> } {
  return { subject: auditSubject(record.writer, record.userId), event: record as AuditRecordEvent & Record<string, unknown> };
}

/** Publish straight to the bus (writers without an outbox, e.g. transcoders); msgId = record id. */
export function publishAudit(bus: Pick<Bus, 'publish'>, record: AuditRecordEvent): Promise<PublishAck> {
  const { subject, event } = auditMessage(record);
  return bus.publish(subject, event, { msgId: record.id });
}
