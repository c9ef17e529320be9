import { count, eq } from 'drizzle-orm';
import type { Drizzle } from '@ffgate/db';
import { planList } from '../query/index.ts';
import type { ListQuery, ListResult, ResourceType, StoredResource } from './port.ts';
import { groupWithMembersColumns, toStoredGroup, toStoredUser, userWithGroupsColumns } from './rows.ts';
import { groups, users } from './schema.ts';

/** One statement per resource: the row and its memberships come from the same snapshot. */
export async function readOne(db: Drizzle, type: ResourceType, id: string): Promise<StoredResource | null> {
  if (type === 'User') {
    const [row] = await db.select(userWithGroupsColumns).from(users).where(eq(users.id, id));
    return row ? toStoredUser(row, row.groups) : null;
  }
  const [row] = await db.select(groupWithMembersColumns).from(groups).where(eq(groups.id, id));
  return row ? toStoredGroup(row, row.members) : null;
}

/** Plan first (invalid filters fail before touching the database), then count and page in one snapshot. */
export function listPlanned(db: Drizzle, type: ResourceType, query: ListQuery): () => Promise<ListResult> {
  const plan = planList(type, query);
  return () =>
    db.transaction(
      async (tx) => {
        if (type === 'User') {
          const [{ total }] = await tx.select({ total: count() }).from(users).where(plan.where);
          const rows = plan.limit === 0 ? [] : await tx.select(userWithGroupsColumns).from(users).where(plan.where).orderBy(...plan.orderBy).limit(plan.limit).offset(plan.offset);
          return { totalResults: total, resources: rows.map((r) => toStoredUser(r, r.groups)) };
        }
        const [{ total }] = await tx.select({ total: count() }).from(groups).where(plan.where);
        const rows = plan.limit === 0 ? [] : await tx.select(groupWithMembersColumns).from(groups).where(plan.where).orderBy(...plan.orderBy).limit(plan.limit).offset(plan.offset);
        return { totalResults: total, resources: rows.map((r) => toStoredGroup(r, r.members)) };
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
}
