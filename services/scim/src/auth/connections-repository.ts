import { asc, eq, isNull, and } from 'drizzle-orm';
import type { Database } from '@ffgate/db';
import { connections } from '../store/schema.ts';
import {
  assertConnectionName,
  ConnectionNameTakenError,
  type ConnectionRecord,
  type ConnectionsRepository,
  type ConnectionSummary,
} from './connections.ts';
import { hashToken, newConnectionId, newToken } from './tokens.ts';

/** ConnectionsRepository over `scim.connections` (PostgreSQL or PGlite). */
export function createConnectionsRepository(database: Pick<Database, 'db'>): ConnectionsRepository {
  const { db } = database;

  return {
    async create(name) {
      assertConnectionName(name);
      const id = newConnectionId();
      const token = newToken(id);
      try {
        const [row] = await db
          .insert(connections)
          .values({ id, name, tokenHash: hashToken(token) })
          .returning({ createdAt: connections.createdAt });
        return { id, name, token, createdAt: row.createdAt };
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConnectionNameTakenError(name, { cause: error });
        throw error;
      }
    },

    async list() {
      const rows = await db
        .select({
          id: connections.id,
          name: connections.name,
          createdAt: connections.createdAt,
          lastUsedAt: connections.lastUsedAt,
          revokedAt: connections.revokedAt,
        })
        .from(connections)
        .orderBy(asc(connections.createdAt), asc(connections.name));
      return rows as ConnectionSummary[];
    },

    async findById(id) {
      const [row] = await db.select().from(connections).where(eq(connections.id, id)).limit(1);
      return (row as ConnectionRecord | undefined) ?? null;
    },

    async revoke(id) {
      const revoked = await db
        .update(connections)
        .set({ revokedAt: new Date() })
        .where(and(eq(connections.id, id), isNull(connections.revokedAt)))
        .returning({ id: connections.id });
      if (revoked.length > 0) return true;
      const [existing] = await db.select({ id: connections.id }).from(connections).where(eq(connections.id, id)).limit(1);
      return existing !== undefined;
    },

    async markUsed(id, at) {
      await db.update(connections).set({ lastUsedAt: at }).where(eq(connections.id, id));
    },
  };
}

/** 23505 = unique_violation; drizzle 0.45 wraps driver errors, so look at the cause chain too. */
function isUniqueViolation(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}
