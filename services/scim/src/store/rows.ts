import { groups, users } from './schema.ts';
import { groupsOfUserJson, membersOfGroupJson } from './membership-queries.ts';
import type { StoredResource } from './port.ts';

/** Columns selected to build a User's StoredResource (its groups come from group_members). */
export const userColumns = {
  id: users.id,
  userName: users.userName,
  externalId: users.externalId,
  active: users.active,
  resource: users.resource,
  version: users.version,
  created: users.created,
  lastModified: users.lastModified,
};

export const groupColumns = {
  id: groups.id,
  displayName: groups.displayName,
  externalId: groups.externalId,
  resource: groups.resource,
  version: groups.version,
  created: groups.created,
  lastModified: groups.lastModified,
};

export const userWithGroupsColumns = { ...userColumns, groups: groupsOfUserJson };
export const groupWithMembersColumns = { ...groupColumns, members: membersOfGroupJson };

export interface UserRow {
  id: string;
  userName: string;
  externalId: string | null;
  active: boolean;
  resource: Record<string, unknown>;
  version: number;
  created: Date;
  lastModified: Date;
}

export interface GroupRow {
  id: string;
  displayName: string;
  externalId: string | null;
  resource: Record<string, unknown>;
  version: number;
  created: Date;
  lastModified: Date;
}

type Ref = { value: string; display: string };

export function toStoredUser(row: UserRow, groupRefs: Ref[]): StoredResource {
  return {
    id: row.id,
    version: row.version,
    created: row.created,
    lastModified: row.lastModified,
    resource: { ...row.resource, groups: groupRefs.map((g) => ({ value: g.value, display: g.display, type: 'direct' })) },
  };
}

export function toStoredGroup(row: GroupRow, members: Ref[]): StoredResource {
  return {
    id: row.id,
    version: row.version,
    created: row.created,
    lastModified: row.lastModified,
    resource: { ...row.resource, members: members.map((m) => ({ value: m.value, display: m.display, type: 'User' })) },
  };
}
