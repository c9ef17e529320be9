import { and, desc, eq, gt, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { Drizzle } from '@ffgate/db';
import type { DerivedKeys } from '../crypto/kek.ts';
import { sameDigest } from '../crypto/kek.ts';
import { revokeCredentials } from '../revocation/revoke.ts';
import { writeAudit } from '../store/audit.ts';
import type { Tx } from '../store/executor.ts';
import { clients, credentials, users } from '../store/schema.ts';
import type { UserRow } from '../store/users.ts';
import { createBatchLoader } from './batch-loader.ts';
import { newClientId, newClientSecret, plausibleClientId } from './secrets.ts';

export type ClientRow = typeof clients.$inferSelect;

/** What the admin API shows: never the secret or its hash. */
export interface ClientView {
  client_id: string;
  name: string;
  user_id: string | null;
  scope: string;
  created_at: string;
  disabled_at: string | null;
  disabled_reason: string | null;
}

export function clientView(c: ClientRow): ClientView {
  return {
    client_id: c.id,
    name: c.name,
    user_id: c.userId,
    scope: c.scope,
    created_at: c.createdAt.toISOString(),
    disabled_at: c.disabledAt?.toISOString() ?? null,
    disabled_reason: c.disabledReason,
  };
}

export type AuthenticatedClient = { client: ClientRow; user: UserRow | undefined };

export function createClientsRepository(db: Drizzle, keys: DerivedKeys, now: () => number = Date.now) {
  // an unknown id is hashed and compared against this, exactly like a known one
  const dummyHmac = keys.secretHmac(newClientSecret());
  // the hot path of every mint: concurrent authentications share one query
  const loadForAuth = createBatchLoader(async (ids: string[]) => {
    const rows = await db.select({ client: clients, user: users }).from(clients).leftJoin(users, eq(users.id, clients.userId)).where(inArray(clients.id, ids));
    return new Map(rows.map((r) => [r.client.id, r]));
  });

  return {
    async create(input: { name: string; userId: string | null; scope: 'job' | 'scim'; actor: string }): Promise<{ client: ClientRow; secret: string }> {
      const secret = newClientSecret();
      const id = newClientId();
      return db.transaction(async (tx) => {
        const [client] = await tx
          .insert(clients)
          .values({ id, name: input.name, userId: input.userId, scope: input.scope, secretHmac: keys.secretHmac(secret), createdAt: new Date(now()) })
          .returning();
        await writeAudit(tx, [
          { action: 'client.created', clientId: id, userId: input.userId, reason: input.scope, actor: input.actor, details: { name: input.name, scope: input.scope } },
        ]);
        return { client: client!, secret };
      });
    },

    async list(): Promise<ClientRow[]> {
      return db.select().from(clients).orderBy(desc(clients.createdAt));
    },

    async get(id: string): Promise<ClientRow | undefined> {
      const [row] = await db.select().from(clients).where(eq(clients.id, id)).limit(1);
      return row;
    },

    async disable(id: string, actor: string): Promise<ClientRow | undefined> {
      return db.transaction(async (tx) => {
        const at = new Date(now());
        // also over a disable by deactivation: the admin's decision must survive a reactivation
        const [row] = await tx
          .update(clients)
          .set({ disabledAt: sql`coalesce(${clients.disabledAt}, ${at.toISOString()}::timestamptz)`, disabledReason: 'admin' })
          .where(and(eq(clients.id, id), or(isNull(clients.disabledAt), ne(clients.disabledReason, 'admin'))))
          .returning();
        if (row) {
          await writeAudit(tx, [{ action: 'client.disabled', clientId: id, userId: row.userId, reason: 'admin', actor, at }]);
          await revokeClientCredentials(tx, id, actor, at);
        }
        return row ?? (await tx.select().from(clients).where(eq(clients.id, id)).limit(1))[0];
      });
    },

    async delete(id: string, actor: string): Promise<boolean> {
      return db.transaction(async (tx) => {
        const [row] = await tx.delete(clients).where(eq(clients.id, id)).returning();
        if (row) {
          await writeAudit(tx, [{ action: 'client.deleted', clientId: id, userId: row.userId, reason: 'admin', actor }]);
          await revokeClientCredentials(tx, id, actor, new Date(now()));
        }
        return row !== undefined;
      });
    },

    /**
     * The client if `secret` is right and it is enabled, with its user (one query). Unknown ids,
     * wrong secrets and disabled clients all run the same HMAC and constant-time comparison.
     */
    async authenticate(id: string, secret: string): Promise<AuthenticatedClient | undefined> {
      const presented = keys.secretHmac(secret);
      const row = plausibleClientId(id) ? await loadForAuth(id) : undefined;
      const matched = sameDigest(presented, row?.client.secretHmac ?? dummyHmac);
      if (!row || !matched || row.client.disabledAt) return undefined;
      return { client: row.client, user: row.user ?? undefined };
    },
  };
}
export type ClientsRepository = ReturnType<typeof createClientsRepository>;

/** A disabled or deleted client's live credentials die with it. */
async function revokeClientCredentials(tx: Tx, clientId: string, actor: string, at: Date): Promise<void> {
  const live = await tx
    .select({ jti: credentials.jti })
    .from(credentials)
    .where(and(eq(credentials.clientId, clientId), isNull(credentials.revokedAt), gt(credentials.expiresAt, at)));
  await revokeCredentials(tx, { jtis: live.map((r) => r.jti), reason: 'client.revoked', actor, at });
}
