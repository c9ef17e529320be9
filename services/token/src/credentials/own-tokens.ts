import { eq } from 'drizzle-orm';
import { decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { CREDENTIAL_ALG, DEFAULT_AUDIENCE } from '@ffgate/verifier';
import type { Drizzle } from '@ffgate/db';
import type { SigningKeyRing } from '../keys/signing-keys.ts';
import { clients, credentials, users } from '../store/schema.ts';
import { SCIM_AUDIENCE, SCIM_SCOPE } from './issue.ts';

export interface OwnTokenOptions {
  db: Drizzle;
  keys: SigningKeyRing;
  issuer: string;
  now?: () => number;
}

/** RFC 7662 response: `{ active: false }` or the credential's claims. */
export type Introspection = { active: false } | ({ active: true; token_type: 'Bearer'; scope: string } & JWTPayload);

const INACTIVE = { active: false } as const;

/**
 * Reading the service's own tokens back (introspection, revocation, the SCIM API's OAuth tokens):
 * signature, issuer and expiry first, then the database, which knows revocations the token cannot
 * show — a revoked jti, a deactivated or deleted user, a disabled client. Not @ffgate/verifier's
 * `createVerifier`: it requires job-credential claims (a SCIM access token has none) and answers
 * revocation from the TOKENS feed, where this service has the database itself.
 */
export function createOwnTokenReader(o: OwnTokenOptions) {
  const now = o.now ?? Date.now;

  async function verifySignature(token: string): Promise<JWTPayload | undefined> {
    if (typeof token !== 'string' || token.length > 16 * 1024) return undefined;
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== CREDENTIAL_ALG || typeof header.kid !== 'string') return undefined;
      const key = o.keys.publicKey(header.kid);
      if (!key) return undefined;
      const { payload } = await jwtVerify(token, key, {
        algorithms: [CREDENTIAL_ALG],
        issuer: o.issuer,
        audience: [DEFAULT_AUDIENCE, SCIM_AUDIENCE],
        currentDate: new Date(now()),
      });
      return typeof payload.jti === 'string' ? payload : undefined;
    } catch {
      return undefined;
    }
  }

  /** The live record of a token we signed, or undefined when anything says it is dead. */
  async function live(token: string) {
    const payload = await verifySignature(token);
    if (!payload) return undefined;
    const [row] = await o.db
      .select({ credential: credentials, user: users, client: clients })
      .from(credentials)
      .leftJoin(users, eq(users.id, credentials.userId))
      .leftJoin(clients, eq(clients.id, credentials.clientId))
      .where(eq(credentials.jti, payload.jti!))
      .limit(1);
    if (!row || row.credential.revokedAt || row.credential.expiresAt.getTime() <= now()) return undefined;
    if (row.credential.kind === 'job') {
      const u = row.user;
      if (!u || !u.active || u.deleted) return undefined;
      if (u.revokedBefore && (payload.iat ?? 0) * 1000 <= u.revokedBefore.getTime()) return undefined;
    } else if (!row.client || row.client.disabledAt) {
      return undefined;
    }
    return { payload, row };
  }

  return {
    verifySignature,

    async introspect(token: string): Promise<Introspection> {
      const found = await live(token);
      if (!found) return INACTIVE;
      const scope = found.row.credential.kind === 'scim' ? SCIM_SCOPE : 'job';
      return { active: true, token_type: 'Bearer', scope, ...found.payload };
    },

    /**
     * For the SCIM API: accepts an access token minted for an IdP connection client (scope `scim`,
     * audience `ffgate-scim`) and returns the connection it stands for, or null. Same shape as the
     * SCIM service's static-token verifier, so it can try one then the other.
     */
    async verifyScimAccessToken(token: string): Promise<{ id: string; name: string } | null> {
      const found = await live(token);
      if (!found || found.row.credential.kind !== 'scim' || !found.row.client) return null;
      const aud = found.payload.aud;
      if (!(aud === SCIM_AUDIENCE || (Array.isArray(aud) && aud.includes(SCIM_AUDIENCE)))) return null;
      return { id: found.row.client.id, name: found.row.client.name };
    },
  };
}
export type OwnTokenReader = ReturnType<typeof createOwnTokenReader>;
