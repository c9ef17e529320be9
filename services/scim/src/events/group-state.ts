import type { GroupState } from '@ffgate/contracts';

export interface GroupFacts {
  id: string;
  displayName: string;
  externalId: string | null;
  /** members after the change, with the display rule of the store (user's displayName, else userName) */
  members: { id: string; displayName: string | null }[];
}

/** Map a stored SCIM Group to the event contract's GroupState (members are always Users: no nesting). */
export function toGroupState(group: GroupFacts): GroupState {
  return {
    id: group.id,
    displayName: group.displayName,
    externalId: group.externalId,
    members: group.members.map((m) => ({ id: m.id, displayName: m.displayName, type: 'User' as const })),
  };
}
