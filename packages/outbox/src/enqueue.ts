import { context, propagation } from '@opentelemetry/api';
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
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
  /**
   * Data-modifying statements (INSERT/UPDATE/DELETE without RETURNING) whose results the caller
   * does not need: they run as CTEs of the same statement as the outbox insert. One statement is
   * atomic on its own, so a write plus its events can even skip BEGIN/COMMIT (one round trip).
   */
  alongside?: SQLWrapper[];
}

/**
 * Write events in the caller's transaction and NOTIFY the relay (delivered when that transaction
 * commits, dropped if it rolls back). The active trace context is stored with each row so the
 * published message continues the writer's trace.
 *
 * The insert and the NOTIFY are one statement (`WITH … INSERT … SELECT pg_notify(…)`): PostgreSQL
 * always runs data-modifying CTEs to completion, whether or not the outer query reads them, and
 * a round trip per statement is the main cost of a short write transaction.
 */
export async function enqueue(tx: OutboxWriter, table: OutboxTable, messages: OutboxMessage[], options: EnqueueOptions = {}): Promise<void> {
  const alongside = options.alongside ?? [];
  if (messages.length === 0) {
    if (alongside.length > 0) await tx.execute(withClauses(alongside, sql`select 1`));
    return;
  }
  const validate = options.validate ?? validateEvent;
  const trace: Record<string, string> = {};
  propagation.inject(context.active(), trace);
  const rows = messages.map((m) => {
    validate(m.subject, m.event);
    return { id: m.event.id, subject: m.subject, payload: m.event, headers: { ...trace, ...m.headers } };
  });
  const insert = tx.insert(table).values(rows);
  await tx.execute(withClauses([...alongside, insert], sql`select pg_notify(${outboxChannel(outboxSchemaName(table))}, '')`));
}

/** `with w0 as (…), w1 as (…) <final>` */
function withClauses(statements: SQLWrapper[], final: SQL): SQL {
  const ctes = statements.map((s, i) => sql`${sql.raw(`w${i}`)} as (${s.getSQL()})`);
  return sql`with ${sql.join(ctes, sql`, `)} ${final}`;
}
