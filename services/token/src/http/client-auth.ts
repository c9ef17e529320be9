import type { Request } from 'express';
import type { AuthenticatedClient, ClientsRepository } from '../clients/repository.ts';
import type { FailureLimiter } from '../clients/rate-limit.ts';
import { OAuthError } from '../errors.ts';
import type { Form } from './form.ts';

export interface PresentedCredentials {
  id: string;
  secret: string;
  method: 'client_secret_basic' | 'client_secret_post';
}

/** client_secret_basic (RFC 6749 §2.3.1: id and secret form-encoded, then Base64) or client_secret_post; never both. */
export function presentedCredentials(req: Request, form: Form): PresentedCredentials | undefined {
  const header = req.get('authorization');
  const postId = form.get('client_id');
  const postSecret = form.get('client_secret');
  if (header !== undefined && /^basic\s/i.test(header)) {
    if (postSecret !== undefined) throw new OAuthError('invalid_request', 'use one client authentication method, not two');
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new OAuthError('invalid_client', 'malformed Basic credentials');
    try {
      const id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      const secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
      if (postId !== undefined && postId !== id) throw new OAuthError('invalid_request', 'client_id does not match the Basic credentials');
      return { id, secret, method: 'client_secret_basic' };
    } catch (err) {
      if (err instanceof OAuthError) throw err;
      throw new OAuthError('invalid_client', 'malformed Basic credentials');
    }
  }
  if (postId !== undefined || postSecret !== undefined) {
    if (postId === undefined || postSecret === undefined) throw new OAuthError('invalid_client', 'client_id and client_secret are both required');
    return { id: postId, secret: postSecret, method: 'client_secret_post' };
  }
  return undefined;
}

/**
 * Authenticate the calling client, rate-limiting failures per client id and per source address:
 * after too many, the caller gets 429 until the window ends, whatever it presents.
 */
export function createClientAuthenticator(clients: ClientsRepository, limiters: { perClient: FailureLimiter; perIp: FailureLimiter }) {
  return async function authenticate(req: Request, form: Form, required: boolean): Promise<AuthenticatedClient | undefined> {
    const creds = presentedCredentials(req, form);
    if (!creds) {
      if (required) throw new OAuthError('invalid_client', 'client authentication required');
      return undefined;
    }
    const clientKey = [creds.id.slice(0, 100)];
    const ipKey = [req.ip ?? 'unknown'];
    const wait = Math.max(limiters.perClient.blockedFor(clientKey), limiters.perIp.blockedFor(ipKey));
    if (wait > 0) throw new OAuthError('slow_down', 'too many failed client authentications; retry later', { status: 429, retryAfter: wait });
    const found = await clients.authenticate(creds.id, creds.secret);
    if (!found) {
      limiters.perClient.recordFailure(clientKey);
      limiters.perIp.recordFailure(ipKey);
      throw new OAuthError('invalid_client', 'client authentication failed');
    }
    return found;
  };
}
export type ClientAuthenticator = ReturnType<typeof createClientAuthenticator>;
