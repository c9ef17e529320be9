import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgSchema, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { outboxTable } from '@ffgate/outbox';
import type { UserState } from '@ffgate/contracts';

/** The gateway owns the `gateway` schema: jobs, its identity projection, the audit store, its outbox. */
export const gatewaySchema = pgSchema('gateway');
const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * Jobs. `dispatched_at` set = handed to the transcoders (counts against maxRunning until the job
 * is terminal). `status_seq` / `progress_seq` order the transcoders' events (see contracts/jobs.ts).
 * `cancel_requested` remembers a cancel sent for a dispatched job, so a late `running` re-sends it.
 */
export const jobs = gatewaySchema.table(
  'jobs',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id').notNull(),
    ownerUserName: text('owner_user_name').notNull(),
    clientId: text('client_id'),
    jti: text('jti').notNull(),
    /** the credential's `iat`: a user-wide revocation (revokedBefore) covers jobs submitted with older credentials */
    credentialIssuedAt: ts('credential_issued_at').notNull(),
    profile: text('profile').notNull(),
    queue: text('queue').notNull(),
    input: text('input').notNull(),
    output: text('output').notNull(),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    status: text('status').notNull().default('queued'),
    statusSeq: integer('status_seq').notNull().default(0),
    progress: jsonb('progress').$type<Record<string, unknown> | null>(),
    progressSeq: integer('progress_seq').notNull().default(0),
    error: jsonb('error').$type<{ code: string; message: string } | null>(),
    cancelReason: text('cancel_reason'),
    cancelRequested: text('cancel_requested'),
    idempotencyKey: text('idempotency_key'),
    attempt: integer('attempt').notNull().default(0),
    worker: text('worker'),
    dispatchedAt: ts('dispatched_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('jobs_owner_idempotency_idx').on(t.ownerId, t.idempotencyKey).where(sql`${t.idempotencyKey} is not null`),
    index('jobs_owner_created_idx').on(t.ownerId, t.createdAt, t.id),
    index('jobs_waiting_idx').on(t.ownerId, t.createdAt).where(sql`${t.status} = 'queued' and ${t.dispatchedAt} is null`),
    index('jobs_unfinished_idx').on(t.ownerId).where(sql`${t.status} in ('queued', 'running')`),
    index('jobs_jti_idx').on(t.jti),
  ],
);

/** Projection of SCIM users from IDENTITY (durable consumer `gateway-identity`), idempotent by version. */
export const users = gatewaySchema.table('users', {
  id: text('id').primaryKey(),
  userName: text('user_name').notNull(),
  active: boolean('active').notNull(),
  deleted: boolean('deleted').notNull().default(false),
  state: jsonb('state').$type<UserState>().notNull(),
  version: integer('version').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** The audit store: every writer's records, hash-chained per writer at ingest. */
export const auditRecords = gatewaySchema.table(
  'audit_records',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    id: text('id').notNull().unique(),
    writer: text('writer').notNull(),
    writerSeq: integer('writer_seq').notNull(),
    prevHash: text('prev_hash'),
    hash: text('hash').notNull(),
    time: text('time').notNull(),
    action: text('action').notNull(),
    userId: text('user_id'),
    userName: text('user_name'),
    clientId: text('client_id'),
    jti: text('jti'),
    jobId: text('job_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull(),
    ingestedAt: ts('ingested_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('audit_writer_seq_idx').on(t.writer, t.writerSeq), index('audit_user_idx').on(t.userId, t.time, t.seq)],
);

/** The head of each writer's chain, locked while a record is appended. */
export const auditHeads = gatewaySchema.table('audit_heads', {
  writer: text('writer').primaryKey(),
  writerSeq: integer('writer_seq').notNull(),
  hash: text('hash').notNull(),
});

export const outbox = outboxTable(gatewaySchema);
