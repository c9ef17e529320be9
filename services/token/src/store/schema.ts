import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgSchema, text, timestamp } from 'drizzle-orm/pg-core';
import { outboxTable } from '@ffgate/outbox';
import type { UserState } from '@ffgate/contracts';

/** The token service owns the `token` schema; no other service reads these tables. */
export const tokenSchema = pgSchema('token');

/**
 * Projection of SCIM users from the IDENTITY stream. `version` is the last applied event version:
 * an event with a version at or below it is a replay and is ignored. Deleted users stay as a
 * tombstone (`deleted`) so a late replayed `updated` cannot resurrect them.
 */
export const users = tokenSchema.table(
  'users',
  {
    id: text('id').primaryKey(),
    userName: text('user_name').notNull(),
    externalId: text('external_id'),
    /** lower-cased email values, for token-exchange claim mapping */
    emails: jsonb('emails').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    active: boolean('active').notNull(),
    deleted: boolean('deleted').notNull().default(false),
    state: jsonb('state').$type<UserState>().notNull(),
    /** roles under the policy in force when last evaluated: lost grants are computed against these */
    profiles: jsonb('profiles').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    queues: jsonb('queues').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    version: integer('version').notNull(),
    /** every credential of the user issued at or before this time is revoked (deactivation, deletion) */
    revokedBefore: timestamp('revoked_before', { withTimezone: true, precision: 3 }),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('users_user_name_lower_idx').on(sql`lower(${t.userName})`), index('users_external_id_idx').on(t.externalId)],
);

/**
 * OAuth clients. A pipeline client is bound to one SCIM user (`user_id`) and mints job credentials
 * on their behalf; an IdP connection client has `scope = 'scim'` and no user. The secret is kept
 * only as HMAC-SHA-256 under a key derived from FFGATE_KEY_ENCRYPTION_KEY.
 */
export const clients = tokenSchema.table(
  'clients',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    userId: text('user_id'),
    scope: text('scope').notNull().default('job'),
    secretHmac: text('secret_hmac').notNull(),
    disabledAt: timestamp('disabled_at', { withTimezone: true, precision: 3 }),
    disabledReason: text('disabled_reason'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('clients_user_idx').on(t.userId)],
);

/**
 * Ed25519 signing keys. The private key is PKCS#8 sealed with AES-256-GCM (key derived from
 * FFGATE_KEY_ENCRYPTION_KEY, the kid as associated data): a copy of this table alone signs nothing.
 * A retired key stays in the JWKS until `not_after`, when every credential it signed has expired.
 */
export const signingKeys = tokenSchema.table('signing_keys', {
  kid: text('kid').primaryKey(),
  publicJwk: jsonb('public_jwk').$type<Record<string, unknown>>().notNull(),
  privateKeySealed: text('private_key_sealed').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  retiredAt: timestamp('retired_at', { withTimezone: true, precision: 3 }),
  notAfter: timestamp('not_after', { withTimezone: true, precision: 3 }),
});

/** Every credential issued, for introspection, targeted revocation and the audit trail. */
export const credentials = tokenSchema.table(
  'credentials',
  {
    jti: text('jti').primaryKey(),
    userId: text('user_id'),
    clientId: text('client_id').notNull(),
    /** `job` or `scim` */
    kind: text('kind').notNull(),
    profiles: jsonb('profiles').$type<string[]>().notNull(),
    queues: jsonb('queues').$type<string[]>().notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true, precision: 3 }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, precision: 3 }),
    revokeReason: text('revoke_reason'),
  },
  (t) => [
    index('credentials_user_live_idx').on(t.userId).where(sql`${t.revokedAt} is null`),
    index('credentials_client_live_idx').on(t.clientId).where(sql`${t.revokedAt} is null`),
    index('credentials_expires_idx').on(t.expiresAt),
  ],
);

/** Append-only trail of every issue, revocation and client change: who, which client, which jti, why. */
export const audit = tokenSchema.table(
  'audit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    action: text('action').notNull(),
    userId: text('user_id'),
    clientId: text('client_id'),
    jti: text('jti'),
    reason: text('reason'),
    actor: text('actor'),
  },
  (t) => [index('audit_user_idx').on(t.userId, t.at), index('audit_jti_idx').on(t.jti)],
);

export const outbox = outboxTable(tokenSchema);
