import { eq, sql } from 'drizzle-orm';
import { identityEventMessage, toUserState, userUpdateEventType } from '../events/index.ts';
import type { StatementScope, WriteScope } from './executor.ts';
import { isUniqueViolation } from './db-errors.ts';
import { NotFoundError, UniquenessError } from './errors.ts';
import { canonicalJson } from './json.ts';
import { lockGroups } from './locks.ts';
import { groupIdsOfUser, groupRefsOfUsers } from './membership-queries.ts';
import { applyMutation, checkVersion } from './mutation.ts';
import type { Mutation, ScimJson, StoredResource } from './port.ts';
import { toUserRecord, type UserRecord } from './resources.ts';
import { bumpGroups, eventFacts } from './ripple.ts';
import { toStoredUser, userColumns, type UserRow } from './rows.ts';
import { users } from './schema.ts';

const USER_NAME_UNIQUE = 'users_user_name_lower_uq';

/**
 * No query of its own: the insert is deferred into the store's single outbox statement, and the
 * stored row is built from what was written (nothing comes back that we do not already know).
 */
export function createUser(scope: StatementScope, id: string, input: ScimJson): StoredResource {
  const record = toUserRecord(input);
  const row: UserRow = { id, ...columnsOf(record), version: 1, created: scope.now, lastModified: scope.now };
  scope.deferred.push({
    statement: scope.builder.insert(users).values({ ...row, createdBy: scope.actor, updatedBy: scope.actor }),
    mapError: (err) => (isUniqueViolation(err, USER_NAME_UNIQUE) ? new UniquenessError('userName', record.userName, { cause: err }) : err),
  });
  const data = toUserState({ ...row, groups: [] });
  scope.messages.push(identityEventMessage('identity.user.created', eventFacts(scope, id, 1, data), scope.newEventId));
  return toStoredUser(row, []);
}

export async function updateUser(scope: WriteScope, id: string, mutate: Mutation, ifVersion?: number): Promise<StoredResource> {
  const [row] = await scope.tx.select(userColumns).from(users).where(eq(users.id, id)).for('update');
  if (!row) throw new NotFoundError('User', id);
  checkVersion(ifVersion, row.version);
  // read memberships in a statement of their own: one that waited for the lock would see them as
  // of before the wait (READ COMMITTED re-checks only the locked row)
  const groupRefs = (await groupRefsOfUsers(scope.tx, [id])).get(id) ?? [];
  const shown = groupRefs.map((g) => ({ value: g.id, display: g.displayName }));
  const current = toStoredUser(row, shown);
  const record = toUserRecord(await applyMutation(mutate, current));
  // identical re-sends (Entra repeats PATCHes) change nothing: same version, no event
  if (canonicalJson(record.resource) === canonicalJson(row.resource)) return current;

  const [updated] = await uniqueUserName(record, () =>
    scope.tx
      .update(users)
      .set({ ...columnsOf(record), version: sql`${users.version} + 1`, lastModified: scope.now, updatedBy: scope.actor })
      .where(eq(users.id, id))
      .returning(userColumns),
  );
  const data = toUserState({ ...updated, groups: groupRefs });
  const type = userUpdateEventType(row.active, updated.active);
  scope.messages.push(identityEventMessage(type, eventFacts(scope, id, updated.version, data), scope.newEventId));
  return toStoredUser(updated, shown);
}

export async function deleteUser(scope: WriteScope, id: string, ifVersion?: number): Promise<void> {
  // lock order: the user's groups first (their versions are bumped below), then the user
  const locked = new Set(await lockGroups(scope.tx, await groupIdsOfUser(scope.tx, id)));
  const [row] = await scope.tx.select(userColumns).from(users).where(eq(users.id, id)).for('update');
  if (!row) throw new NotFoundError('User', id);
  checkVersion(ifVersion, row.version);
  // memberships cannot change any more (group writes lock the user); lock groups joined meanwhile
  const groupIds = await groupIdsOfUser(scope.tx, id);
  await lockGroups(scope.tx, groupIds.filter((g) => !locked.has(g)));

  const lastGroups = (await groupRefsOfUsers(scope.tx, [id])).get(id) ?? [];
  const data = toUserState({ ...row, groups: lastGroups });
  await scope.tx.delete(users).where(eq(users.id, id)); // memberships cascade
  scope.messages.push(identityEventMessage('identity.user.deleted', eventFacts(scope, id, row.version + 1, data), scope.newEventId));
  await bumpGroups(scope, groupIds);
}

function columnsOf(record: UserRecord) {
  return { userName: record.userName, externalId: record.externalId, active: record.active, resource: record.resource };
}

async function uniqueUserName<T>(record: UserRecord, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err, USER_NAME_UNIQUE)) throw new UniquenessError('userName', record.userName, { cause: err });
    throw err;
  }
}
