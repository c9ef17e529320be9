import { chainRecord, normalizeTime, type ChainedAuditRecord } from '@ffgate/audit';
import type { Bus, Subscription } from '@ffgate/bus';
import { AuditStream, validateEvent, type AuditRecordEvent } from '@ffgate/contracts';

/** Every `audit.record` the bus carries, validated against its contract as the gateway's ingest does. */
export async function collectAudit(bus: Bus): Promise<{ records: AuditRecordEvent[]; subjects: string[]; stop: () => Promise<void> }> {
  const records: AuditRecordEvent[] = [];
  const subjects: string[] = [];
  const sub: Subscription = await bus.consume({ stream: AuditStream.name, deliver: 'all' }, async (d) => {
    validateEvent(d.subject, d.event);
    records.push(d.event as AuditRecordEvent);
    subjects.push(d.subject);
    return { kind: 'ack' };
  });
  return { records, subjects, stop: () => sub.stop() };
}

/** Chain records in arrival order, as the gateway's audit store does at ingest. */
export function chainAsIngested(records: AuditRecordEvent[]): ChainedAuditRecord[] {
  const heads = new Map<string, ChainedAuditRecord>();
  return records.map((event) => {
    const { type: _type, ...content } = event;
    const chained = chainRecord(heads.get(event.writer) ?? null, { ...content, time: normalizeTime(content.time) });
    heads.set(event.writer, chained);
    return chained;
  });
}
