import { asc, inArray, sql } from 'drizzle-orm';
import type { GroupRef } from '@ffgate/contracts';
import type { Executor } from './executor.ts';
import { groupMembers, groups, users } from './schema.ts';

/**
 * Memberships as SCIM shows them. A member's display is the user's displayName, else userName:
 * the same rule the list query uses to filter on `members.display`.
 */
export const memberDisplay = sql<string>`coalesce(nullif(${users.resource} ->> 'displayName', ''), ${users.userName})`;

export interface MemberRef {
  id: string;
  displayName: string;
}

/**
 * `"users"."id"` of the outer query, qualified by hand: drizzle renders a column in a select list
 * unqualified, which inside the subquery would bind to the subquery's own `id`.
 */
function outer(table: 'users' | 'groups') {
  return sql`${sql.identifier(table)}.${sql.identifier('id')}`;
}

/** Correlated subquery: a user's groups as a JSON array of `{ value, display }`, for selects on `users`. */
export const groupsOfUserJson = sql<{ value: string; display: string }[]>`(
  select coalesce(json_agg(json_build_object('value', g.id, 'display', g.display_name) order by lower(g.display_name), g.id), '[]'::json)
  from ${groupMembers} gm join ${groups} g on g.id = gm.group_id
  where gm.user_id = ${outer('users')})`;

/** Correlated subquery: a group's members as a JSON array of `{ value, display }`, for selects on `groups`. */
export const membersOfGroupJson = sql<{ value: string; display: string }[]>`(
  select coalesce(json_agg(json_build_object('value', u.id, 'display', coalesce(nullif(u.resource ->> 'displayName', ''), u.user_name))
    order by lower(coalesce(nullif(u.resource ->> 'displayName', ''), u.user_name)), u.id), '[]'::json)
  from ${groupMembers} gm join ${users} u on u.id = gm.user_id
  where gm.group_id = ${outer('groups')})`;

/** Each user's groups (as events carry them), for the given users. */
export async function groupRefsOfUsers(db: Executor, userIds: string[]): Promise<Map<string, GroupRef[]>> {
  const refs = new Map<string, GroupRef[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return refs;
  const rows = await db
    .select({ userId: groupMembers.userId, id: groups.id, displayName: groups.displayName })
    .from(groupMembers)
    .innerJoin(groups, sql`${groups.id} = ${groupMembers.groupId}`)
    .where(inArray(groupMembers.userId, userIds))
    .orderBy(sql`lower(${groups.displayName})`, asc(groups.id));
  for (const row of rows) refs.get(row.userId)?.push({ id: row.id, displayName: row.displayName });
  return refs;
}

/** A group's members with their display names. */
export async function membersOfGroup(db: Executor, groupId: string): Promise<MemberRef[]> {
  return db
    .select({ id: users.id, displayName: memberDisplay })
    .from(groupMembers)
    .innerJoin(users, sql`${users.id} = ${groupMembers.userId}`)
    .where(sql`${groupMembers.groupId} = ${groupId}`)
    .orderBy(sql`lower(${memberDisplay})`, asc(users.id));
}

/** Ids of the groups a user belongs to, in id order (the lock order for groups). */
export async function groupIdsOfUser(db: Executor, userId: string): Promise<string[]> {
  const rows = await db
    .select({ id: groupMembers.groupId })
    .from(groupMembers)
    .where(sql`${groupMembers.userId} = ${userId}`)
    .orderBy(asc(groupMembers.groupId));
  return rows.map((r) => r.id);
}
