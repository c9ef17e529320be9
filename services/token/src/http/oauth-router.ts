import express, { Router, type Request, type Response } from 'express';
import type { Drizzle } from '@ffgate/db';
import type { ClientAuthenticator } from './client-auth.ts';
import type { IssuedCredential, Issuer } from '../credentials/issue.ts';
import type { OwnTokenReader } from '../credentials/own-tokens.ts';
import type { SubjectTokenVerifier } from '../exchange/trusted-issuers.ts';
import { OAuthError } from '../errors.ts';
import { revokeCredentials } from '../revocation/revoke.ts';
import { findUserByMapping } from '../store/users.ts';
import type { AdminAuth } from './admin-auth.ts';
import { oauthErrorHandler, type HttpLogger } from './errors.ts';
import { formOf } from './form.ts';

export const GRANT_CLIENT_CREDENTIALS = 'client_credentials';
export const GRANT_TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const SUBJECT_TOKEN_TYPES = new Set(['urn:ietf:params:oauth:token-type:jwt', 'urn:ietf:params:oauth:token-type:id_token', 'urn:ietf:params:oauth:token-type:access_token']);
const ISSUED_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';

export interface OAuthRouterDeps {
  db: Drizzle;
  issuer: Issuer;
  reader: OwnTokenReader;
  authenticateClient: ClientAuthenticator;
  adminAuth: AdminAuth;
  subjectTokens: SubjectTokenVerifier;
  logger: HttpLogger;
  /** form bodies larger than this are refused with 413 (default 16 KiB) */
  bodyLimit?: string;
  now?: () => number;
  /** observes every mint and failure (metrics) */
  onIssued?: (grant: string) => void;
}

/** `/oauth2/token`, `/oauth2/revoke` (RFC 7009) and `/oauth2/introspect` (RFC 7662). Mount at `/oauth2`. */
export function buildOAuthRouter(d: OAuthRouterDeps): Router {
  const router = Router();
  const now = d.now ?? Date.now;
  router.use(express.urlencoded({ extended: false, limit: d.bodyLimit ?? '16kb', parameterLimit: 50 }));

  router.post('/token', async (req: Request, res: Response) => {
    const form = formOf(req);
    const grant = form.require('grant_type');
    let issued: IssuedCredential;
    if (grant === GRANT_CLIENT_CREDENTIALS) {
      const { client, user } = (await d.authenticateClient(req, form, true))!;
      const scope = form.get('scope');
      if (client.scope === 'scim') {
        if (scope !== undefined && scope !== 'scim') throw new OAuthError('invalid_scope', 'this client may only request scope scim');
        issued = await d.issuer.issueScim(client.id);
      } else {
        if (scope !== undefined && scope !== 'job') throw new OAuthError('invalid_scope', 'this client may only request scope job');
        issued = await d.issuer.issueJob(user, client.id, `client:${client.id}`);
      }
    } else if (grant === GRANT_TOKEN_EXCHANGE) {
      const subjectToken = form.require('subject_token');
      const subjectType = form.require('subject_token_type');
      if (!SUBJECT_TOKEN_TYPES.has(subjectType)) throw new OAuthError('invalid_request', 'subject_token_type must be a JWT, ID token or access token');
      const requested = form.get('requested_token_type');
      if (requested !== undefined && requested !== ISSUED_TOKEN_TYPE && requested !== 'urn:ietf:params:oauth:token-type:access_token') {
        throw new OAuthError('invalid_request', 'requested_token_type is not supported');
      }
      const scope = form.get('scope');
      if (scope !== undefined && scope !== 'job') throw new OAuthError('invalid_scope', 'only scope job can be requested by token exchange');
      const caller = await d.authenticateClient(req, form, false);
      if (caller && caller.client.scope !== 'job') throw new OAuthError('unauthorized_client', 'this client may not exchange tokens');
      const subject = await d.subjectTokens.verify(subjectToken);
      const user = await findUserByMapping(d.db, subject.mapping, subject.value);
      const clientId = caller?.client.id ?? `exchange:${subject.issuer.name ?? subject.issuer.issuer}`;
      issued = await d.issuer.issueJob(user, clientId, caller ? `client:${caller.client.id}` : `exchange:${subject.issuer.issuer}`, 'token_exchange');
    } else {
      throw new OAuthError('unsupported_grant_type', `grant_type ${grant} is not supported`);
    }
    d.onIssued?.(grant);
    res.set('Cache-Control', 'no-store').set('Pragma', 'no-cache');
    res.json({
      access_token: issued.token,
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      scope: issued.scope,
      ...(grant === GRANT_TOKEN_EXCHANGE ? { issued_token_type: ISSUED_TOKEN_TYPE } : {}),
    });
  });

  router.post('/revoke', async (req: Request, res: Response) => {
    const form = formOf(req);
    const { client } = (await d.authenticateClient(req, form, true))!;
    const token = form.require('token');
    // RFC 7009 §2.2: an invalid, unknown or someone else's token is answered 200 as well
    const payload = await d.reader.verifySignature(token);
    if (payload?.jti && payload.client_id === client.id) {
      await d.db.transaction((tx) => revokeCredentials(tx, { jtis: [payload.jti!], reason: 'client.revoked', actor: `client:${client.id}`, at: new Date(now()) }));
    }
    res.set('Cache-Control', 'no-store').status(200).end();
  });

  router.post('/introspect', async (req: Request, res: Response) => {
    const form = formOf(req);
    if (!d.adminAuth.isAdmin(req)) await d.authenticateClient(req, form, true);
    const token = form.require('token');
    res.set('Cache-Control', 'no-store').json(await d.reader.introspect(token));
  });

  router.use((_req: Request, _res: Response, next: (err?: unknown) => void) => next(new OAuthError('invalid_request', 'no such endpoint', { status: 404 })));
  router.use(oauthErrorHandler(d.logger));
  return router;
}
