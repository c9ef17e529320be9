import { getTableConfig } from 'drizzle-orm/pg-core';
import type { OutboxTable } from './table.ts';

/**
 * The NOTIFY channel of a service's outbox: `ffgate_outbox_<schema>`. Lower-case and limited to
 * [a-z0-9_] so it is the same whether quoted or not (PostgreSQL folds unquoted names).
 */
export function outboxChannel(schemaName: string): string {
  return `ffgate_outbox_${schemaName.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
}

/** The PostgreSQL schema an outbox table lives in (`public` when it has none). */
export function outboxSchemaName(table: OutboxTable): string {
  return getTableConfig(table).schema ?? 'public';
}

/** Advisory lock name of the relay leadership for one outbox. */
export function outboxLeaderLockName(schemaName: string): string {
  return `ffgate:outbox:${schemaName}`;
}
