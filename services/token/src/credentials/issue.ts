import { randomUUID } from 'node:crypto';
import { SCIM_AUDIENCE, SCIM_SCOPE } from '@ffgate/contracts';
import { DEFAULT_AUDIENCE } from '@ffgate/verifier';
import { evaluate, type Policy } from '@ffgate/policy';
import type { Drizzle } from '@ffgate/db';
import type { SigningKeyRing } from '../keys/signing-keys.ts';
import { OAuthError } from '../errors.ts';
import { createCredentialRecorder } from './recorder.ts';
import { signJwt } from './sign.ts';
import type { UserRow } from '../store/users.ts';

export { SCIM_AUDIENCE, SCIM_SCOPE };

export interface IssuerOptions {
  db: Drizzle;
  keys: SigningKeyRing;
  policy: () => Policy;
  issuer: string;
  ttlSeconds: number;
  now?: () => number;
}

export interface IssuedCredential {
  token: string;
  jti: string;
  expiresIn: number;
  scope: string;
  profiles: string[];
  queues: string[];
}

/**
 * Mint job credentials and SCIM access tokens. Each one is recorded (credentials + audit) in a
 * single statement before it is handed out: a credential the database does not know never exists.
 */
export function createIssuer(o: IssuerOptions) {
  const now = o.now ?? Date.now;

  function sign(claims: Record<string, unknown>, sub: string, aud: string, iat: number, jti: string): string {
    const { kid, privateKey } = o.keys.signingKey();
    return signJwt({ iss: o.issuer, sub, aud, iat, exp: iat + o.ttlSeconds, jti, ...claims }, kid, privateKey);
  }

  const recorder = createCredentialRecorder(o.db);
  async function record(c: {
    jti: string;
    userId: string | null;
    userName: string | null;
    clientId: string;
    kind: 'job' | 'scim';
    grant: string;
    profiles: string[];
    queues: string[];
    iat: number;
    actor: string;
  }) {
    const { iat, ...rest } = c;
    await recorder.record({ ...rest, issuedAt: new Date(iat * 1000), expiresAt: new Date((iat + o.ttlSeconds) * 1000) });
  }

  return {
    /** A job credential for `user` (already loaded by the caller), on behalf of `clientId`; `grant` goes into the audit trail. */
    async issueJob(user: UserRow | undefined, clientId: string, actor: string, grant = 'client_credentials'): Promise<IssuedCredential> {
      if (!user || user.deleted || !user.active) throw new OAuthError('invalid_grant', 'the user is unknown or not active');
      const roles = evaluate(o.policy(), user.state);
      // a credential minted right after a reactivation must not fall inside the revoked second
      let iat = Math.floor(now() / 1000);
      if (user.revokedBefore && iat * 1000 <= user.revokedBefore.getTime()) iat = Math.floor(user.revokedBefore.getTime() / 1000) + 1;
      const jti = randomUUID();
      const token = sign({ client_id: clientId, profiles: roles.profiles, queues: roles.queues }, user.id, DEFAULT_AUDIENCE, iat, jti);
      await record({ jti, userId: user.id, userName: user.userName, clientId, kind: 'job', grant, profiles: roles.profiles, queues: roles.queues, iat, actor });
      return { token, jti, expiresIn: o.ttlSeconds, scope: 'job', profiles: roles.profiles, queues: roles.queues };
    },

    /** An access token for an IdP connection client (scope `scim`), accepted by the SCIM API. */
    async issueScim(clientId: string): Promise<IssuedCredential> {
      const iat = Math.floor(now() / 1000);
      const jti = randomUUID();
      const token = sign({ client_id: clientId, scope: SCIM_SCOPE }, clientId, SCIM_AUDIENCE, iat, jti);
      await record({ jti, userId: null, userName: null, clientId, kind: 'scim', grant: 'client_credentials', profiles: [], queues: [], iat, actor: `client:${clientId}` });
      return { token, jti, expiresIn: o.ttlSeconds, scope: SCIM_SCOPE, profiles: [], queues: [] };
    },
  };
}
export type Issuer = ReturnType<typeof createIssuer>;
