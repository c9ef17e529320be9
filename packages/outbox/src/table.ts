import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, text, timestamp, type PgSchema } from 'drizzle-orm/pg-core';

/**
 * The outbox table, created inside the owning service's PostgreSQL schema so the service's own
 * drizzle migrations carry it (each service owns its schema; no shared tables).
 */
export function outboxTable(schema: PgSchema) {
  return schema.table(
    'outbox',
    {
      /** global publish order; per-resource order follows because writes to one resource serialize on its row lock */
      seq: bigserial('seq', { mode: 'number' }).primaryKey(),
      /** event id, published as Nats-Msg-Id */
      id: text('id').notNull().unique(),
      subject: text('subject').notNull(),
      payload: jsonb('payload').notNull(),
      headers: jsonb('headers').$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
      createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
      sentAt: timestamp('sent_at', { withTimezone: true }),
    },
    (t) => [index('outbox_unsent_idx').on(t.seq).where(sql`${t.sentAt} is null`)],
  );
}
export type OutboxTable = ReturnType<typeof outboxTable>;
