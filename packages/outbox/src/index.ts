export * from './port.ts';
export * from './table.ts';
export { enqueue, type EnqueueOptions, type OutboxWriter } from './enqueue.ts';
export { outboxChannel, outboxSchemaName, outboxLeaderLockName } from './channel.ts';
export { OutboxRelay, type OutboxRelayOptions, type OutboxRelayStats } from './relay.ts';
export { orderingKey, publishBatch, purgeSent, type BatchHooks, type BatchResult, type OutboxRow } from './publish-batch.ts';
export { consoleOutboxLogger, type OutboxLogger } from './logger.ts';
export * from './metrics.ts';
