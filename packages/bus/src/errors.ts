/** Errors raised by @ffgate/bus, each with a stable code. Contract violations are @ffgate/contracts' ContractError. */
export type BusErrorCode =
  | 'FFGATE_BUS_CLOSED'
  | 'FFGATE_BUS_NO_STREAM'
  | 'FFGATE_BUS_PUBLISH_FAILED'
  | 'FFGATE_BUS_CONNECT_FAILED'
  | 'FFGATE_BUS_STREAM_FAILED'
  | 'FFGATE_BUS_CONSUMER_FAILED';

export class BusError extends Error {
  readonly code: BusErrorCode;
  constructor(code: BusErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BusError';
    this.code = code;
  }
}
