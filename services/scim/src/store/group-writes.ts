import { and, eq, inArray, sql } from 'drizzle-orm';
import { identityEventMessage, toGroupState } from '../events/index.ts';
import type { WriteScope } from './executor.ts';
import { isUniqueViolation } from './db-errors.ts';
import { NotFoundError, UniquenessError } from './errors.ts';
import { canonicalJson } from './json.ts';
import { lockUsers, sortedUnique } from './locks.ts';
import { membersOfGroup } from './membership-queries.ts';
import { assertKnownUsers } from './member-validation.ts';
import { applyMutation, checkVersion } from './mutation.ts';
import type { Mutation, ScimJson, StoredResource } from './port.ts';
import { toGroupRecord, type GroupRecord } from './resources.ts';
import { bumpUsers, eventFacts } from './ripple.ts';
import { groupColumns, toStoredGroup, type GroupRow } from './rows.ts';
import { groupMembers, groups } from './schema.ts';

const DISPLAY_NAME_UNIQUE = 'groups_display_name_lower_uq';

export async function createGroup(scope: WriteScope, id: string, input: ScimJson): Promise<StoredResource> {
  const record = toGroupRecord(input);
  const memberIds = sortedUnique(record.memberIds);
  await assertKnownUsers(scope.tx, memberIds, await lockUsers(scope.tx, memberIds));
  const [row] = await uniqueDisplayName(record, () =>
    scope.tx
      .insert(groups)
      .values({
        id,
        ...columnsOf(record),
        version: 1,
        created: scope.now,
        lastModified: scope.now,
        createdBy: scope.actor,
        updatedBy: scope.actor,
      })
      .returning(groupColumns),
  );
  await addMembers(scope, id, memberIds);
  return emitGroupChange(scope, 'identity.group.created', row, memberIds);
}

export async function updateGroup(scope: WriteScope, id: string, mutate: Mutation, ifVersion?: number): Promise<StoredResource> {
  const [row] = await scope.tx.select(groupColumns).from(groups).where(eq(groups.id, id)).for('update');
  if (!row) throw new NotFoundError('Group', id);
  checkVersion(ifVersion, row.version);
  // read members in a statement of their own: one that waited for the lock would see them as of
  // before the wait (READ COMMITTED re-checks only the locked row)
  const members = await membersOfGroup(scope.tx, id);
  const current = toStoredGroup(row, members.map((m) => ({ value: m.id, display: m.displayName })));
  const record = toGroupRecord(await applyMutation(mutate, current));

  const before = new Set(members.map((m) => m.id));
  const after = new Set(record.memberIds);
  const added = record.memberIds.filter((m) => !before.has(m));
  const removed = [...before].filter((m) => !after.has(m));
  const resourceChanged = canonicalJson(record.resource) !== canonicalJson(row.resource);
  // identical re-sends (Entra repeats PATCHes) change nothing: same version, no event
  if (!resourceChanged && added.length === 0 && removed.length === 0) return current;

  // a rename changes every member's groups[].displayName, so each member's state changes too
  const renamed = record.displayName !== row.displayName;
  const affected = sortedUnique([...added, ...removed, ...(renamed ? record.memberIds : [])]);
  await assertKnownUsers(scope.tx, added, await lockUsers(scope.tx, affected));

  const [updated] = await uniqueDisplayName(record, () =>
    scope.tx
      .update(groups)
      .set({ ...columnsOf(record), version: sql`${groups.version} + 1`, lastModified: scope.now, updatedBy: scope.actor })
      .where(eq(groups.id, id))
      .returning(groupColumns),
  );
  if (removed.length > 0) {
    await scope.tx.delete(groupMembers).where(and(eq(groupMembers.groupId, id), inArray(groupMembers.userId, removed)));
  }
  await addMembers(scope, id, added);
  return emitGroupChange(scope, 'identity.group.updated', updated, affected);
}

export async function deleteGroup(scope: WriteScope, id: string, ifVersion?: number): Promise<void> {
  const [row] = await scope.tx.select(groupColumns).from(groups).where(eq(groups.id, id)).for('update');
  if (!row) throw new NotFoundError('Group', id);
  checkVersion(ifVersion, row.version);
  // stable while we hold the group's lock: membership changes lock the group first
  const members = await membersOfGroup(scope.tx, id);
  const memberIds = sortedUnique(members.map((m) => m.id));
  await lockUsers(scope.tx, memberIds);

  const data = toGroupState({ ...row, members });
  await scope.tx.delete(groups).where(eq(groups.id, id)); // memberships cascade
  scope.messages.push(identityEventMessage('identity.group.deleted', eventFacts(scope, id, row.version + 1, data), scope.newEventId));
  await bumpUsers(scope, memberIds);
}

async function addMembers(scope: WriteScope, groupId: string, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  await scope.tx.insert(groupMembers).values(userIds.map((userId) => ({ groupId, userId })));
}

/** The group's event (members as they are now), then `identity.user.updated` for each affected user. */
async function emitGroupChange(
  scope: WriteScope,
  type: 'identity.group.created' | 'identity.group.updated',
  row: GroupRow,
  affectedUserIds: string[],
): Promise<StoredResource> {
  const members = await membersOfGroup(scope.tx, row.id);
  const data = toGroupState({ ...row, members });
  scope.messages.push(identityEventMessage(type, eventFacts(scope, row.id, row.version, data), scope.newEventId));
  await bumpUsers(scope, affectedUserIds);
  return toStoredGroup(row, members.map((m) => ({ value: m.id, display: m.displayName })));
}

function columnsOf(record: GroupRecord) {
  return { displayName: record.displayName, externalId: record.externalId, resource: record.resource };
}

async function uniqueDisplayName<T>(record: GroupRecord, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err, DISPLAY_NAME_UNIQUE)) throw new UniquenessError('displayName', record.displayName, { cause: err });
    throw err;
  }
}
