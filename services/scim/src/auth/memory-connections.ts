import {
  assertConnectionName,
  ConnectionNameTakenError,
  type ConnectionRecord,
  type ConnectionsRepository,
} from './connections.ts';
import { hashToken, newConnectionId, newToken } from './tokens.ts';

/**
 * In-memory ConnectionsRepository for unit tests and throw-away development runs: state lives in
 * this instance only and is lost on restart.
 */
export function createMemoryConnectionsRepository(): ConnectionsRepository {
  const rows = new Map<string, ConnectionRecord>();
  const summary = ({ tokenHash: _hash, ...rest }: ConnectionRecord) => ({ ...rest });

  return {
    async create(name) {
      assertConnectionName(name);
      if ([...rows.values()].some((r) => r.name === name)) throw new ConnectionNameTakenError(name);
      const id = newConnectionId();
      const token = newToken(id);
      const createdAt = new Date();
      rows.set(id, { id, name, tokenHash: hashToken(token), createdAt, lastUsedAt: null, revokedAt: null });
      return { id, name, token, createdAt };
    },
    async list() {
      return [...rows.values()].map(summary);
    },
    async findById(id) {
      const row = rows.get(id);
      return row ? { ...row } : null;
    },
    async revoke(id) {
      const row = rows.get(id);
      if (!row) return false;
      row.revokedAt ??= new Date();
      return true;
    },
    async markUsed(id, at) {
      const row = rows.get(id);
      if (row) row.lastUsedAt = at;
    },
  };
}
