import { inArray } from 'drizzle-orm';
import { auditMessage, auditRecord } from '@ffgate/audit';
import type { AuditAction as SharedAuditAction } from '@ffgate/contracts';
import { enqueue, type OutboxMessage } from '@ffgate/outbox';
import type { Executor, Tx } from './executor.ts';
import { audit, outbox, users } from './schema.ts';

export type AuditAction =
  | 'credential.issued'
  | 'credential.revoked'
  | 'user.revoked'
  | 'client.created'
  | 'client.disabled'
  | 'client.enabled'
  | 'client.deleted'
  | 'signing-key.rotated';

export interface AuditEntry {
  action: AuditAction;
  userId?: string | null;
  clientId?: string | null;
  jti?: string | null;
  reason?: string | null;
  /** who caused it: `admin`, `idp:<connection>`, `client:<id>`, `policy` */
  actor?: string | null;
  at?: Date;
  /** facts for the shared trail only (never secrets): profiles, expiry, client name … */
  details?: Record<string, unknown>;
  /** false: kept in `token.audit` only, not published to the shared trail (see revocation caps) */
  share?: boolean;
}

/** Writer of the token service's records in the shared trail (AUDIT stream; the gateway chains them). */
export const AUDIT_WRITER = 'token';

/** Rows per INSERT: far below PostgreSQL's 65,535 bind parameters however many credentials die at once. */
export const WRITE_CHUNK = 1000;

/** The shared trail's action for a local one; undefined: the contract has no such action (kept locally only). */
const SHARED_ACTIONS: Partial<Record<AuditAction, SharedAuditAction>> = {
  'credential.issued': 'credential.issued',
  'credential.revoked': 'credential.revoked',
  // "every credential of the user up to `revokedBefore`": a revocation without a single jti
  'user.revoked': 'credential.revoked',
  'client.created': 'client.created',
  'client.disabled': 'client.disabled',
  // a deleted client is disabled for good
  'client.deleted': 'client.disabled',
};

/**
 * Write audit rows (`token.audit`) and, in the same transaction, the matching `audit.record`
 * events through the outbox: the shared trail holds exactly the changes that committed.
 */
export async function writeAudit(db: Tx, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  for (const chunk of chunks(entries, WRITE_CHUNK)) {
    await db.insert(audit).values(
      chunk.map((e) => ({
        action: e.action,
        userId: e.userId ?? null,
        clientId: e.clientId ?? null,
        jti: e.jti ?? null,
        reason: e.reason ?? null,
        actor: e.actor ?? null,
        ...(e.at ? { at: e.at } : {}),
      })),
    );
  }
  const shared = entries.filter((e) => e.share !== false && SHARED_ACTIONS[e.action] !== undefined);
  if (shared.length === 0) return;
  const names = await userNames(db, shared.map((e) => e.userId));
  await enqueueChunked(db, shared.map((e) => sharedAuditMessage(e, names.get(e.userId ?? '') ?? null)));
}

/** The `audit.record` outbox message for a local entry (writer `token`, subject `audit.token.<user>`). */
export function sharedAuditMessage(e: AuditEntry, userName: string | null): OutboxMessage {
  const action = SHARED_ACTIONS[e.action];
  if (!action) throw new TypeError(`audit action ${e.action} has no shared-trail counterpart`);
  const details: Record<string, unknown> = { ...(e.reason ? { reason: e.reason } : {}), ...(e.actor ? { actor: e.actor } : {}), ...e.details };
  if (e.action === 'user.revoked') details.scope = 'user';
  if (e.action === 'client.deleted') details.deleted = true;
  const record = auditRecord({
    writer: AUDIT_WRITER,
    action,
    userId: e.userId ?? null,
    userName,
    clientId: e.clientId ?? null,
    jti: e.jti ?? null,
    details,
    ...(e.at ? { time: e.at } : {}),
  });
  return auditMessage(record);
}

/** userName of each user id (the projection knows it; tombstones keep theirs). */
export async function userNames(db: Executor, ids: (string | null | undefined)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
  if (wanted.length === 0) return new Map();
  const rows = await db.select({ id: users.id, userName: users.userName }).from(users).where(inArray(users.id, wanted));
  return new Map(rows.map((r) => [r.id, r.userName]));
}

/** `enqueue` in bounded statements: a mass revocation cannot exceed the bind-parameter limit. */
export async function enqueueChunked(tx: Tx, messages: OutboxMessage[]): Promise<void> {
  for (const chunk of chunks(messages, WRITE_CHUNK)) await enqueue(tx, outbox, chunk);
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
