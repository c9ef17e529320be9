import { z } from 'zod';
import { GroupState, UserState } from './identity.ts';

/**
 * The event catalog: every event is declared here once, as a runtime schema.
 * Types are derived from the schemas; the bus validates on publish and on consume.
 *
 * Idempotency contract for consumers: an event is identified by (resourceId, version).
 * `version` grows by one with every change of the resource; a consumer ignores any
 * version it has already applied (version <= last applied version for that resource).
 */

/** RFC 9967 (SCIM Profile for Security Event Tokens) event URIs. */
export const ScimEventUri = {
  createFull: 'urn:ietf:params:SCIM:event:prov:create:full',
  putFull: 'urn:ietf:params:SCIM:event:prov:put:full',
  patchFull: 'urn:ietf:params:SCIM:event:prov:patch:full',
  delete: 'urn:ietf:params:SCIM:event:prov:delete',
  activate: 'urn:ietf:params:SCIM:event:prov:activate',
  deactivate: 'urn:ietf:params:SCIM:event:prov:deactivate',
} as const;

const envelope = {
  /** Unique event id; also the `Nats-Msg-Id` used for JetStream de-duplication. */
  id: z.string().min(1),
  /** ISO-8601 time the change was committed. */
  time: z.iso.datetime({ offset: true }),
  /** The SCIM id of the resource the event is about. */
  resourceId: z.string().min(1),
  /** Per-resource version, grows with every change of the resource. */
  version: z.number().int().positive(),
  /** The name of the IdP connection (or other actor) that made the change. */
  actor: z.string().nullable(),
};

function userEvent<T extends string>(type: T) {
  return z.object({ ...envelope, type: z.literal(type), data: UserState });
}
function groupEvent<T extends string>(type: T) {
  return z.object({ ...envelope, type: z.literal(type), data: GroupState });
}

export const IdentityEventSchemas = {
  'identity.user.created': userEvent('identity.user.created'),
  'identity.user.updated': userEvent('identity.user.updated'),
  'identity.user.deactivated': userEvent('identity.user.deactivated'),
  'identity.user.reactivated': userEvent('identity.user.reactivated'),
  'identity.user.deleted': userEvent('identity.user.deleted'),
  'identity.group.created': groupEvent('identity.group.created'),
  'identity.group.updated': groupEvent('identity.group.updated'),
  'identity.group.deleted': groupEvent('identity.group.deleted'),
} as const;

export type IdentityEventType = keyof typeof IdentityEventSchemas;
export type IdentityEventOf<T extends IdentityEventType> = z.infer<(typeof IdentityEventSchemas)[T]>;
export type IdentityEvent = { [T in IdentityEventType]: IdentityEventOf<T> }[IdentityEventType];
export type UserEvent = Extract<IdentityEvent, { data: UserState }>;
export type GroupEvent = Extract<IdentityEvent, { data: GroupState }>;

export const IdentityEvent = z.discriminatedUnion('type', [
  IdentityEventSchemas['identity.user.created'],
  IdentityEventSchemas['identity.user.updated'],
  IdentityEventSchemas['identity.user.deactivated'],
  IdentityEventSchemas['identity.user.reactivated'],
  IdentityEventSchemas['identity.user.deleted'],
  IdentityEventSchemas['identity.group.created'],
  IdentityEventSchemas['identity.group.updated'],
  IdentityEventSchemas['identity.group.deleted'],
]);

export const identityEventTypes = Object.keys(IdentityEventSchemas) as IdentityEventType[];

export const scimEventUriOf: Record<IdentityEventType, string> = {
  'identity.user.created': ScimEventUri.createFull,
  'identity.user.updated': ScimEventUri.patchFull,
  'identity.user.deactivated': ScimEventUri.deactivate,
  'identity.user.reactivated': ScimEventUri.activate,
  'identity.user.deleted': ScimEventUri.delete,
  'identity.group.created': ScimEventUri.createFull,
  'identity.group.updated': ScimEventUri.patchFull,
  'identity.group.deleted': ScimEventUri.delete,
};
