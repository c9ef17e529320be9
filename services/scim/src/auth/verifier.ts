import type { ConnectionsRepository } from './connections.ts';
import { ENV_CONNECTION_NAME } from './connections.ts';
import { connectionIdOf, DUMMY_HASH, hashToken, sameHash, TOKEN_PREFIX } from './tokens.ts';

export interface VerifiedConnection {
  id: string;
  name: string;
}

export interface TokenVerifier {
  /** the connection a bearer token belongs to; null when unknown, wrong or revoked */
  verify(token: string): Promise<VerifiedConnection | null>;
}

/**
 * Verifies an OAuth access token (scope `scim`, audience `ffgate-scim`) minted by the token service
 * for an IdP connection client; null when it is not one (wrong signature, audience, scope, expired,
 * revoked). The all-in-one passes the token service's `verifyScimAccessToken`; a distributed SCIM
 * service uses `createJwksScimTokenVerifier`.
 */
export type AccessTokenVerifier = (token: string) => Promise<VerifiedConnection | null>;

export interface TokenVerifierOptions {
  connections: ConnectionsRepository;
  /** FFGATE_SCIM_TOKEN: accepted as an extra connection named `env` */
  scimToken?: string;
  /** how often at most `last_used_at` is written per connection (default one minute) */
  touchIntervalMs?: number;
  now?: () => number;
  onTouchError?: (error: unknown) => void;
  /** tried for bearer tokens that are not `ffscim_` connection tokens */
  accessTokenVerifier?: AccessTokenVerifier;
}

/**
 * Every request looks the connection up by the id inside its token and compares sha256 digests in
 * constant time. An unknown id runs the same hash-and-compare against a dummy digest. No cache:
 * a revoked token stops working on the next request.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const { connections, touchIntervalMs = 60_000, now = Date.now } = options;
  const envHash = options.scimToken ? hashToken(options.scimToken) : undefined;
  const lastTouched = new Map<string, number>();

  async function touch(id: string): Promise<void> {
    const at = now();
    const previous = lastTouched.get(id);
    if (previous !== undefined && at - previous < touchIntervalMs) return;
    lastTouched.set(id, at);
    try {
      await connections.markUsed(id, new Date(at));
    } catch (error) {
      // bookkeeping only: never fail a provisioning request over it
      options.onTouchError?.(error);
    }
  }

  return {
    async verify(token) {
      const presented = hashToken(token);
      if (envHash !== undefined && sameHash(presented, envHash)) return { id: ENV_CONNECTION_NAME, name: ENV_CONNECTION_NAME };

      if (!token.startsWith(TOKEN_PREFIX) && options.accessTokenVerifier) return options.accessTokenVerifier(token);

      const id = connectionIdOf(token);
      const record = id ? await connections.findById(id) : null;
      const matched = sameHash(presented, record?.tokenHash ?? DUMMY_HASH);
      if (!record || !matched || record.revokedAt) return null;

      await touch(record.id);
      return { id: record.id, name: record.name };
    },
  };
}
