import type { Request } from 'express';
import { OAuthError } from '../errors.ts';

/**
 * Parameters of an RFC 6749 form body. The body must be `application/x-www-form-urlencoded`;
 * a parameter sent twice is an error (§3.2), as is a non-string value.
 */
export interface Form {
  get(name: string): string | undefined;
  require(name: string): string;
}

export function formOf(req: Request): Form {
  if (!req.is('application/x-www-form-urlencoded')) throw new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded');
  const body = (req.body ?? {}) as Record<string, unknown>;
  const get = (name: string): string | undefined => {
    if (!Object.hasOwn(body, name)) return undefined;
    const v = body[name];
    if (typeof v !== 'string') throw new OAuthError('invalid_request', `parameter ${name} is repeated or malformed`);
    return v === '' ? undefined : v;
  };
  return {
    get,
    require(name) {
      const v = get(name);
      if (v === undefined) throw new OAuthError('invalid_request', `missing parameter ${name}`);
      return v;
    },
  };
}
