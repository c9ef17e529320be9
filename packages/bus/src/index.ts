export * from './port.ts';
export { BusError, type BusErrorCode } from './errors.ts';
export { consoleLogger, silentLogger, type BusLogger } from './logger.ts';
export { defaultValidator, type EventValidator } from './validate.ts';
export { subjectMatches, subjectsOverlap } from './subject.ts';
export { errorRetryDelayMs } from './outcome.ts';
export { createMemoryBus, type MemoryBus, type MemoryBusOptions } from './memory/bus.ts';
export { connectNatsBus, type NatsBus, type NatsBusOptions } from './nats/bus.ts';
export { connectBus, type ConnectBusOptions } from './connect.ts';
