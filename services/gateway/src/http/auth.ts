import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { CredentialError, type JobCredential, type Verifier } from '@ffgate/verifier';
import { GatewayError } from '../errors.ts';

export type Principal = { kind: 'user'; credential: JobCredential; token: string } | { kind: 'admin' };

/** The authenticated principal of each request (no global type augmentation needed). */
const principals = new WeakMap<Request, Principal>();

/** Credential errors the verifier cannot decide (its own trouble, not the token's): 503. */
const UNDECIDABLE = new Set(['FFGATE_CRED_KEYS_UNAVAILABLE', 'FFGATE_CRED_REVOCATIONS_STALE']);

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/**
 * Bearer authentication. `accept` says which principals a route takes: a job credential
 * (verified by @ffgate/verifier: signature, iss, aud, exp, revocation) and/or FFGATE_ADMIN_TOKEN.
 */
export function authenticate(verifier: Verifier, adminToken: string | undefined, accept: { user: boolean; admin: boolean }) {
  const adminDigest = adminToken ? digest(adminToken) : undefined;
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    try {
      const header = req.headers.authorization ?? '';
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) throw new GatewayError('FFGATE_GW_UNAUTHENTICATED', 401, 'a Bearer credential is required');
      const token = match[1];
      if (adminDigest && timingSafeEqual(digest(token), adminDigest)) {
        if (!accept.admin) throw new GatewayError('FFGATE_GW_FORBIDDEN', 403, 'the admin token cannot do this; use a job credential');
        principals.set(req, { kind: 'admin' });
        return next();
      }
      if (!accept.user) throw new GatewayError('FFGATE_GW_UNAUTHENTICATED', 401, 'the admin token is required');
      principals.set(req, { kind: 'user', credential: await verifyCredential(verifier, token), token });
      next();
    } catch (err) {
      next(err);
    }
  };
}

async function verifyCredential(verifier: Verifier, token: string): Promise<JobCredential> {
  try {
    return await verifier.verify(token);
  } catch (err) {
    if (err instanceof CredentialError) {
      if (UNDECIDABLE.has(err.code)) throw new GatewayError('FFGATE_GW_VERIFIER_UNAVAILABLE', 503, 'credentials cannot be checked right now; retry later', { cause: err, retryAfter: 5 });
      throw new GatewayError('FFGATE_GW_CREDENTIAL_INVALID', 401, err.message, { cause: err });
    }
    throw new GatewayError('FFGATE_GW_VERIFIER_UNAVAILABLE', 503, 'credentials cannot be checked right now; retry later', { cause: err, retryAfter: 5 });
  }
}

export function principalOf(req: Request): Principal {
  const principal = principals.get(req);
  if (!principal) throw new GatewayError('FFGATE_GW_UNAUTHENTICATED', 401, 'not authenticated');
  return principal;
}
