import { eq, sql } from 'drizzle-orm';
import type { Executor } from './executor.ts';
import { users } from './schema.ts';

export type UserRow = typeof users.$inferSelect;

/** How a trusted issuer's claim identifies a SCIM user. */
export type UserMapping = 'userName' | 'externalId' | 'email';

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

/**
 * The live (not deleted) user a claim value names. userName and email compare case-insensitively
 * (RFC 7643: userName is caseExact false), externalId exactly. Two matches are ambiguous → none.
 */
export async function findUserByMapping(db: Executor, mapping: UserMapping, value: string): Promise<UserRow | undefined> {
  const where =
    mapping === 'userName'
      ? sql`lower(${users.userName}) = lower(${value})`
      : mapping === 'externalId'
        ? eq(users.externalId, value)
        : sql`${users.emails} @> ${JSON.stringify([value.trim().toLowerCase()])}::jsonb`;
  const rows = await db.select().from(users).where(sql`${where} and ${users.deleted} = false`).limit(2);
  return rows.length === 1 ? rows[0] : undefined;
}
