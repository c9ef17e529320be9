import type { ErrorRequestHandler } from 'express';
import { InvalidFilterError, InvalidSortError } from '../query/index.ts';
import { isScimProtocolError } from '../scimmy/index.ts';
import { InvalidValueError, NotFoundError, PreconditionFailedError, StoreUnavailableError, UniquenessError } from '../store/index.ts';
import type { ScimLogger } from './logger.ts';
import { errorBody, sendScim, type ScimErrorBody } from './send.ts';

/**
 * The one place where errors become SCIM error responses (RFC 7644 §3.12).
 * 4xx details are the error's own message (the store's and the planner's messages are written for
 * clients: they name attributes, never SQL); 5xx details are generic — the cause is logged only.
 */
interface Mapping {
  status: number;
  scimType?: string;
  /** detail to send; undefined → the error's message */
  detail?: string;
}

const UNAVAILABLE = 'The service is temporarily unavailable; retry later.';

function domainMapping(error: object): Mapping | undefined {
  if (error instanceof InvalidFilterError) return { status: 400, scimType: 'invalidFilter' };
  if (error instanceof InvalidSortError) return { status: 400, scimType: 'invalidValue' };
  if (error instanceof InvalidValueError) return { status: 400, scimType: 'invalidValue' };
  if (error instanceof UniquenessError) return { status: 409, scimType: 'uniqueness' };
  if (error instanceof NotFoundError) return { status: 404 };
  if (error instanceof PreconditionFailedError) return { status: 412 };
  // a database outage must never look like "not found": Okta would create a duplicate user
  if (error instanceof StoreUnavailableError) return { status: 503, detail: UNAVAILABLE };
  return undefined;
}

/** body-parser (express.json) errors carry a `type`; they are the client's fault or ours to refuse. */
const BODY_PARSER: Record<string, Mapping> = {
  'entity.parse.failed': { status: 400, scimType: 'invalidSyntax', detail: 'Request body is not valid JSON.' },
  'entity.too.large': { status: 413, detail: 'Request body is too large.' },
  'entity.verify.failed': { status: 400, scimType: 'invalidSyntax', detail: 'Request body was rejected.' },
  'encoding.unsupported': { status: 415, detail: 'Unsupported content encoding.' },
  'charset.unsupported': { status: 415, detail: 'Unsupported charset: send UTF-8 JSON.' },
  'request.aborted': { status: 400, scimType: 'invalidSyntax', detail: 'Request aborted.' },
  'request.size.invalid': { status: 400, scimType: 'invalidSyntax', detail: 'Request size did not match Content-Length.' },
};

const INTERNAL: Mapping = { status: 500, detail: 'Internal server error.' };

function classify(error: unknown): Mapping | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  if (isScimProtocolError(error)) {
    const status = Number((error as { status?: unknown }).status) || 500;
    const scimType = (error as { scimType?: unknown }).scimType;
    return { status, scimType: typeof scimType === 'string' && scimType ? scimType : undefined };
  }
  const domain = domainMapping(error);
  if (domain) return domain;
  const type = (error as { type?: unknown }).type;
  if (typeof type === 'string' && type in BODY_PARSER) return BODY_PARSER[type];
  // other client errors raised by Express itself (e.g. a path with broken %-encoding → 400)
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500 && !(error instanceof TypeError)) {
    return { status, ...(status === 400 ? { scimType: 'invalidSyntax' } : {}), detail: 'Malformed request.' };
  }
  return undefined;
}

export interface MappedError {
  status: number;
  body: ScimErrorBody;
}

export function mapError(error: unknown, logger: ScimLogger): MappedError {
  // A known error may arrive wrapped (e.g. a scimmy error thrown inside the store's transaction
  // callback and re-thrown with a cause): look a few levels down before giving up.
  let mapping: Mapping | undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && !mapping; depth++) {
    mapping = classify(current);
    if (!mapping) current = (current as { cause?: unknown }).cause;
  }
  mapping ??= INTERNAL;
  const status = mapping.status;
  if (status >= 500) {
    logger.error({ err: error, status }, 'SCIM request failed');
    const detail = mapping.detail ?? (status === 501 ? (current as Error).message : INTERNAL.detail!);
    return { status, body: errorBody(status, undefined, detail) };
  }
  const detail = mapping.detail ?? ((current as Error | undefined)?.message || 'Request failed.');
  return { status, body: errorBody(status, mapping.scimType, detail) };
}

export function scimErrorHandler(logger: ScimLogger): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const { status, body } = mapError(error, logger);
    sendScim(res, status, body);
  };
}
