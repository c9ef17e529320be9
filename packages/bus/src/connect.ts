import type { BusLogger } from './logger.ts';
import { createMemoryBus } from './memory/bus.ts';
import { connectNatsBus } from './nats/bus.ts';
import type { Bus } from './port.ts';
import type { EventValidator } from './validate.ts';

export interface ConnectBusOptions {
  /** NATS server URL; without it the in-process bus is used (embedded single-process shape) */
  natsUrl?: string;
  /** connection name (default `ffgate`) */
  name?: string;
  logger?: BusLogger;
  validate?: EventValidator;
  /** in-process bus only: persist streams and durable consumers here so they survive a restart */
  persistDir?: string;
}

/** Pick the adapter for a deployment shape: NATS JetStream when a URL is given, else in-process. */
export async function connectBus(opts: ConnectBusOptions = {}): Promise<Bus> {
  const { natsUrl, name = 'ffgate', logger, validate, persistDir } = opts;
  if (natsUrl) return connectNatsBus({ url: natsUrl, name, logger, validate });
  return createMemoryBus({ logger, validate, ...(persistDir ? { persistDir } : {}) });
}
