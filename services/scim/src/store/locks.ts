import { asc, inArray } from 'drizzle-orm';
import type { Tx } from './executor.ts';
import { groups, users } from './schema.ts';
import { userColumns, type UserRow } from './rows.ts';

/**
 * Row locks in one global order to keep concurrent writes from deadlocking: groups before users,
 * each kind in id order. Group writes lock their group, then the users whose state they change;
 * a user delete locks the user's groups first, then the user.
 */

/** Lock the existing users among `ids` (id order); missing ids are simply absent from the result. */
export async function lockUsers(tx: Tx, ids: string[]): Promise<Map<string, UserRow>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.select(userColumns).from(users).where(inArray(users.id, ids)).orderBy(asc(users.id)).for('update');
  return new Map(rows.map((r) => [r.id, r]));
}

/** Lock the existing groups among `ids` (id order); returns the ids found. */
export async function lockGroups(tx: Tx, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await tx.select({ id: groups.id }).from(groups).where(inArray(groups.id, ids)).orderBy(asc(groups.id)).for('update');
  return rows.map((r) => r.id);
}

export function sortedUnique(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort();
}
