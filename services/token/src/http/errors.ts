import type { ErrorRequestHandler, Response } from 'express';
import { OAuthError } from '../errors.ts';

export interface HttpLogger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

const BASIC_CHALLENGE = 'Basic realm="ffgate", charset="UTF-8"';

/** RFC 6749 §5.2 JSON error; 401 carries a Basic challenge (§5.2: required when the client used the header). */
export function sendOAuthError(res: Response, err: OAuthError): void {
  res.status(err.status).set('Cache-Control', 'no-store').set('Pragma', 'no-cache');
  if (err.status === 401) res.set('WWW-Authenticate', BASIC_CHALLENGE);
  if (err.retryAfter !== undefined) res.set('Retry-After', String(err.retryAfter));
  res.json({ error: err.code, error_description: err.message });
}

/**
 * The one place errors become HTTP for the token router: OAuth errors as themselves, body-parser
 * failures as 413 / 400, anything else as a bare 500 (details go to the log, never the body).
 */
export function oauthErrorHandler(logger: HttpLogger): ErrorRequestHandler {
  return (err, _req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof OAuthError) {
      if (err.status >= 500) logger.error({ err }, 'token endpoint failed');
      return sendOAuthError(res, err);
    }
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') return sendOAuthError(res, new OAuthError('invalid_request', 'request body too large', { status: 413 }));
    if (typeof type === 'string' && type.startsWith('entity.') || type === 'charset.unsupported' || type === 'encoding.unsupported' || type === 'parameters.too.many') {
      return sendOAuthError(res, new OAuthError('invalid_request', 'request body could not be parsed'));
    }
    logger.error({ err }, 'token endpoint failed');
    sendOAuthError(res, new OAuthError('server_error', 'internal error'));
  };
}
