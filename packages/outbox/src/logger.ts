/** pino-shaped logging the relay needs; a pino logger can be passed as is. */
export interface OutboxLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const consoleOutboxLogger: OutboxLogger = {
  debug() {},
  info() {},
  warn: (obj, msg) => console.warn(`[@ffgate/outbox] ${msg}`, obj),
  error: (obj, msg) => console.error(`[@ffgate/outbox] ${msg}`, obj),
};
