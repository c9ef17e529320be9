/** The slice of a pino logger the HTTP layer uses (pino's `logger.error(obj, msg)` signature). */
export interface ScimLogger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
}

/** Fallback when the composition root passes no logger: errors still reach stderr. */
export const consoleLogger: ScimLogger = {
  error: (obj, msg) => console.error(msg ?? 'error', obj),
  warn: (obj, msg) => console.warn(msg ?? 'warning', obj),
  info: () => {},
};

export const silentLogger: ScimLogger = { error: () => {}, warn: () => {}, info: () => {} };
