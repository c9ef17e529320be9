import { context, propagation } from '@opentelemetry/api';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { validateEvent } from '@ffgate/contracts';
import type { OutboxMessage } from './port.ts';
import type { OutboxTable } from './table.ts';
import { outboxChannel, outboxSchemaName } from './channel.ts';

/** What enqueue needs from the caller's transaction (a drizzle transaction or database). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OutboxWriter = Pick<PgDatabase<PgQueryResultHKT, any, any>, 'insert' | 'execute'>;

export interface EnqueueOptions {
  /**
   * contract check before the row is written (default: @ffgate/contracts `validateEvent`): an
   * invalid event fails the writer's transaction instead of blocking the relay later
   */
  validate?: (subject: string, event: unknown) => void;
}

/**
 * Write events in the caller's transaction and NOTIFY the relay (delivered when that transaction
 * commits, dropped if it rolls back). The active trace context is stored with each row so the
 * published message continues the writer's trace.
 */
export async function enqueue(tx: OutboxWriter, table: OutboxTable, messages: OutboxMessage[], options: EnqueueOptions = {}): Promise<void> {
  if (messages.length === 0) return;
  const validate = options.validate ?? validateEvent;
  const trace: Record<string, string> = {};
  propagation.inject(context.active(), trace);
  const rows = messages.map((m) => {
    validate(m.subject, m.event);
    return { id: m.event.id, subject: m.subject, payload: m.event, headers: { ...trace, ...m.headers } };
  });
  await tx.insert(table).values(rows);
  await tx.execute(sql`select pg_notify(${outboxChannel(outboxSchemaName(table))}, '')`);
}
