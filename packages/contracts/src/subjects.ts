import type { IdentityEventType } from './events.ts';

/** Streams and subjects: the wire contract between services. */
export const Streams = {
  identity: {
    name: 'IDENTITY',
    subjects: ['identity.>'],
    /** File storage, limits retention: consumers can replay from the first event. */
    storage: 'file',
  },
} as const;

/** `identity.user.deactivated.<id>`: the type followed by the SCIM id of the resource. */
export function identitySubject(type: IdentityEventType, resourceId: string): string {
  return `${type}.${resourceId}`;
}

/** Recover the event type from a concrete subject (`identity.user.deleted.<id>` → `identity.user.deleted`). */
export function identityTypeOfSubject(subject: string): IdentityEventType | undefined {
  const parts = subject.split('.');
  if (parts[0] !== 'identity' || parts.length < 3) return undefined;
  const t = parts.slice(0, 3).join('.');
  return t as IdentityEventType;
}
