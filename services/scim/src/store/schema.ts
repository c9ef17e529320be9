import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { outboxTable } from '@ffgate/outbox';

/** The SCIM service owns the `scim` schema; no other service reads these tables. */
export const scim = pgSchema('scim');

/**
 * Users. `resource` holds the SCIM representation exactly as accepted (core attributes at top level,
 * the enterprise extension under its URN key), without `id`, `meta`, `groups` and never `password`.
 * Hot attributes are copied to columns for uniqueness and indexing; filters on any other attribute
 * run on the jsonb.
 */
export const users = scim.table(
  'users',
  {
    id: text('id').primaryKey(),
    userName: text('user_name').notNull(),
    externalId: text('external_id'),
    active: boolean('active').notNull().default(true),
    resource: jsonb('resource').$type<Record<string, unknown>>().notNull(),
    version: integer('version').notNull().default(1),
    created: timestamp('created', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    lastModified: timestamp('last_modified', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text('created_by'),
    updatedBy: text('updated_by'),
  },
  (t) => [
    // userName is caseExact: false in RFC 7643 → uniqueness is case-insensitive
    uniqueIndex('users_user_name_lower_uq').on(sql`lower(${t.userName})`),
    index('users_external_id_idx').on(t.externalId),
  ],
);

export const groups = scim.table(
  'groups',
  {
    id: text('id').primaryKey(),
    displayName: text('display_name').notNull(),
    externalId: text('external_id'),
    resource: jsonb('resource').$type<Record<string, unknown>>().notNull(),
    version: integer('version').notNull().default(1),
    created: timestamp('created', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    lastModified: timestamp('last_modified', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text('created_by'),
    updatedBy: text('updated_by'),
  },
  (t) => [uniqueIndex('groups_display_name_lower_uq').on(sql`lower(${t.displayName})`)],
);

/** Group membership (users only: nested groups are not supported and are refused). */
export const groupMembers = scim.table(
  'group_members',
  {
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index('group_members_user_idx').on(t.userId)],
);

/** IdP connections: named bearer tokens, stored as hashes only. */
export const connections = scim.table('connections', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  tokenHash: text('token_hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

export const outbox = outboxTable(scim);
