import { randomUUID } from 'node:crypto';
import { blankUserState, identitySubject, type IdentityEventOf, type UserState } from '@ffgate/contracts';
import type { OutboxMessage } from '@ffgate/outbox';

function userState(id: string): UserState {
  return blankUserState({ id, userName: `${id}@example.com` });
}

/** A valid `identity.user.updated` message for (resourceId, version). */
export function userUpdated(resourceId: string, version: number): OutboxMessage {
  const event: IdentityEventOf<'identity.user.updated'> = {
    id: randomUUID(),
    type: 'identity.user.updated',
    time: new Date().toISOString(),
    resourceId,
    version,
    actor: 'test',
    data: userState(resourceId),
  };
  return { subject: identitySubject('identity.user.updated', resourceId), event };
}

export interface ReceivedEvent {
  id: string;
  resourceId: string;
  version: number;
}

/** Per resource, the versions in arrival order must be 1, 2, 3, … with none missing or repeated. */
export function versionsByResource(events: ReceivedEvent[]): Map<string, number[]> {
  const byResource = new Map<string, number[]>();
  for (const e of events) {
    const list = byResource.get(e.resourceId) ?? [];
    list.push(e.version);
    byResource.set(e.resourceId, list);
  }
  return byResource;
}

export function expectedVersions(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i + 1);
}
