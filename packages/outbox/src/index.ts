export * from './port.ts';
export * from './table.ts';
export { enqueue, type EnqueueOptions, type OutboxWriter } from './enqueue.ts';
export { outboxChannel } from './channel.ts';
export { OutboxRelay, type OutboxRelayOptions, type OutboxRelayStats } from './relay.ts';
export type { BatchHooks, OutboxRow } from './publish-batch.ts';
export type { OutboxLogger } from './logger.ts';
export * from './metrics.ts';
