/**
 * The logging the bus needs, shaped like pino's `(object, message)` methods so a pino logger can
 * be passed as is. The default writes warnings and errors to stderr and drops the rest.
 */
export interface BusLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const consoleLogger: BusLogger = {
  debug() {},
  info() {},
  warn: (obj, msg) => console.warn(`[@ffgate/bus] ${msg}`, obj),
  error: (obj, msg) => console.error(`[@ffgate/bus] ${msg}`, obj),
};

export const silentLogger: BusLogger = { debug() {}, info() {}, warn() {}, error() {} };
