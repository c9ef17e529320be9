import express, { type RequestHandler } from 'express';
import { errorBody, sendScim } from './send.ts';

export const JSON_TYPES = ['application/scim+json', 'application/json'];
export const DEFAULT_BODY_LIMIT = '1mb';

/**
 * Requests with a body (POST/PUT/PATCH) must send JSON: RFC 7644 §3.1 specifies
 * `application/scim+json` and §8.1 asks servers to accept `application/json`. Any other media type
 * is refused with 415 Unsupported Media Type (as a SCIM error body): RFC 7644 names no status for
 * it and 415 is the HTTP answer that tells the client exactly what is wrong. A write without a
 * body is 400 invalidSyntax.
 */
export function requireJsonBody(): RequestHandler {
  return (req, res, next) => {
    if (!['POST', 'PUT', 'PATCH'].includes(req.method)) {
      next();
      return;
    }
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (!hasBody) {
      sendScim(res, 400, errorBody(400, 'invalidSyntax', 'Request body is required.'));
      return;
    }
    if (!req.is(JSON_TYPES)) {
      sendScim(res, 415, errorBody(415, undefined, 'Content-Type must be application/scim+json or application/json.'));
      return;
    }
    next();
  };
}

/** JSON parsing for both SCIM media types; oversized bodies become 413 in the error mapper. */
export function parseJsonBody(limit: string | number = DEFAULT_BODY_LIMIT): RequestHandler {
  return express.json({ type: JSON_TYPES, limit, strict: true });
}
