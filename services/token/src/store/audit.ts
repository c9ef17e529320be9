import type { Executor } from './executor.ts';
import { audit } from './schema.ts';

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
}

export async function writeAudit(db: Executor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(audit).values(
    entries.map((e) => ({
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
