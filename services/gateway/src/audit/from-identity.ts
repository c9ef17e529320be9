import type { AuditAction, AuditRecordEvent, IdentityEvent } from '@ffgate/contracts';

/**
 * SCIM writes in the audit trail. The SCIM service's identity events are already the durable,
 * transactional record of each write (they commit with it through its outbox), so the audit store
 * derives the `scim` writer's records from them instead of having SCIM write every change twice.
 * The record id is the event id: re-delivery ingests nothing new.
 */
const ACTIONS: Record<IdentityEvent['type'], AuditAction> = {
  'identity.user.created': 'scim.user.created',
  'identity.user.updated': 'scim.user.updated',
  'identity.user.deactivated': 'scim.user.deactivated',
  'identity.user.reactivated': 'scim.user.reactivated',
  'identity.user.deleted': 'scim.user.deleted',
  'identity.group.created': 'scim.group.created',
  'identity.group.updated': 'scim.group.updated',
  'identity.group.deleted': 'scim.group.deleted',
};

export function auditRecordOfIdentityEvent(event: IdentityEvent): AuditRecordEvent {
  const isUser = event.type.startsWith('identity.user.');
  const data = event.data as { userName?: string; displayName?: string | null; active?: boolean };
  return {
    id: event.id,
    type: 'audit.record',
    time: event.time,
    writer: 'scim',
    action: ACTIONS[event.type],
    userId: isUser ? event.resourceId : null,
    userName: isUser ? (data.userName ?? null) : null,
    clientId: null,
    jti: null,
    jobId: null,
    details: {
      // the IdP connection that made the change
      connection: event.actor,
      resourceType: isUser ? 'User' : 'Group',
      resourceId: event.resourceId,
      version: event.version,
      ...(isUser ? { active: data.active } : { displayName: data.displayName ?? null }),
    },
  };
}
