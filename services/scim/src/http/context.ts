import type { Request, RequestHandler, Response } from 'express';

/** The authenticated IdP connection, set by the auth middleware for every SCIM request. */
export interface AuthenticatedConnection {
  id: string;
  name: string;
}

export function connectionOf(res: Response): AuthenticatedConnection {
  const connection = res.locals.connection as AuthenticatedConnection | undefined;
  // the auth middleware runs before every route; reaching here without it is a wiring bug
  if (!connection) throw new Error('SCIM route reached without an authenticated connection');
  return connection;
}

/**
 * Absolute base URL of the SCIM API for `meta.location`, `Location` and `$ref`s: the configured
 * public URL when set (behind proxies that rewrite Host), else this request's scheme and host
 * (`req.protocol` honours Express's `trust proxy` setting) plus the router's mount path.
 */
export function baseUrlOf(req: Request, configured: string | undefined): string {
  if (configured) return configured.replace(/\/+$/, '');
  return `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`;
}

/** Computed once at the SCIM router's top level (nested routers see a longer `req.baseUrl`). */
export function rememberBaseUrl(configured: string | undefined): RequestHandler {
  return (req, res, next) => {
    res.locals.scimBaseUrl = baseUrlOf(req, configured);
    next();
  };
}

export function scimBaseOf(res: Response): string {
  return res.locals.scimBaseUrl as string;
}
