import type { NextFunction, Request, Response } from 'express';
import { GatewayError } from '../errors.ts';

export interface ProblemLogger {
  error(obj: object, msg: string): void;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Write an RFC 9457 problem; 5xx bodies never carry internals. */
export function sendProblem(res: Response, status: number, code: string, detail?: string, retryAfter?: number): void {
  if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
  if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="ffgate"');
  const body = { type: 'about:blank', title: TITLES[status] ?? 'Error', status, code, ...(detail !== undefined ? { detail } : {}) };
  res.status(status).type('application/problem+json').send(JSON.stringify(body));
}

/** The one place errors become HTTP responses. */
export function problemHandler(logger: ProblemLogger) {
  return (err: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err);
    if (err instanceof GatewayError) {
      const detail = err.status < 500 || err.status === 503 ? err.message : undefined;
      if (err.status >= 500 && err.status !== 503) logger.error({ err }, 'gateway request failed');
      return sendProblem(res, err.status, err.code, detail, err.retryAfter);
    }
    const e = err as { type?: string; status?: number };
    if (e?.type === 'entity.too.large') return sendProblem(res, 413, 'FFGATE_GW_BAD_REQUEST', 'the job spec is too large');
    if (e?.type === 'entity.parse.failed') return sendProblem(res, 400, 'FFGATE_GW_BAD_REQUEST', 'the body is not valid JSON');
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return sendProblem(res, e.status, 'FFGATE_GW_BAD_REQUEST', 'bad request');
    logger.error({ err }, 'gateway request failed');
    sendProblem(res, 500, 'FFGATE_GW_INTERNAL', 'internal error');
  };
}
