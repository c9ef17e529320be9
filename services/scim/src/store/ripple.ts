import { inArray, sql } from 'drizzle-orm';
import { identityEventMessage, toGroupState, toUserState } from '../events/index.ts';
import type { WriteScope } from './executor.ts';
import { groupRefsOfUsers, membersOfGroup } from './membership-queries.ts';
import { groups, users } from './schema.ts';
import { groupColumns, userColumns } from './rows.ts';

/**
 * Ripple effects of a membership change: a user's `groups` and a group's `members` are part of
 * their state, so when one side changes, every resource on the other side whose state changed
 * gets a new version and an `*.updated` event. Callers have locked the rows already (lock order:
 * see locks.ts); these UPDATEs then only bump.
 */

/** Bump the given (locked) users and emit `identity.user.updated` with their groups as they are now. */
export async function bumpUsers(scope: WriteScope, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  const rows = await scope.tx
    .update(users)
    .set({ version: sql`${users.version} + 1`, lastModified: scope.now, updatedBy: scope.actor })
    .where(inArray(users.id, userIds))
    .returning(userColumns);
  const refs = await groupRefsOfUsers(scope.tx, userIds);
  for (const row of rows.sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const data = toUserState({ ...row, groups: refs.get(row.id) ?? [] });
    scope.messages.push(identityEventMessage('identity.user.updated', eventFacts(scope, row.id, row.version, data), scope.newEventId));
  }
}

/** Bump the given (locked) groups and emit `identity.group.updated` with their members as they are now. */
export async function bumpGroups(scope: WriteScope, groupIds: string[]): Promise<void> {
  if (groupIds.length === 0) return;
  const rows = await scope.tx
    .update(groups)
    .set({ version: sql`${groups.version} + 1`, lastModified: scope.now, updatedBy: scope.actor })
    .where(inArray(groups.id, groupIds))
    .returning(groupColumns);
  for (const row of rows.sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const members = await membersOfGroup(scope.tx, row.id);
    const data = toGroupState({ ...row, members });
    scope.messages.push(identityEventMessage('identity.group.updated', eventFacts(scope, row.id, row.version, data), scope.newEventId));
  }
}

export function eventFacts<D>(scope: Pick<WriteScope, 'actor' | 'now'>, resourceId: string, version: number, data: D) {
  return { resourceId, version, actor: scope.actor, time: scope.now, data };
}
