import { randomUUID } from 'node:crypto';
import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { tokenRevokedSubject, type TokenRevokedEvent } from '@ffgate/contracts';
import { enqueue, type OutboxMessage } from '@ffgate/outbox';
import { writeAudit, type AuditEntry } from '../store/audit.ts';
import type { Tx } from '../store/executor.ts';
import { clients, credentials, outbox, users } from '../store/schema.ts';

/**
 * Revocations, always inside the caller's transaction: the database rows, the audit trail and the
 * `token.revoked` outbox event commit together, so a verifier hears of every revocation the
 * database records, and of none that rolled back.
 */
const MAX_JTI_EVENTS_PER_USER = 1000;

export interface UserRevocation {
  userId: string;
  /** every credential of the user issued at or before this instant is dead */
  before: Date;
  /** `user.deactivated`, `user.deleted` … */
  reason: string;
  actor: string | null;
  /** disable the user's clients too (deactivation, deletion) */
  disableClients: boolean;
}

export async function revokeUser(tx: Tx, r: UserRevocation): Promise<{ jtis: string[]; clientIds: string[] }> {
  const revoked = await tx
    .update(credentials)
    .set({ revokedAt: r.before, revokeReason: r.reason })
    .where(and(eq(credentials.userId, r.userId), isNull(credentials.revokedAt), gt(credentials.expiresAt, r.before)))
    .returning({ jti: credentials.jti, clientId: credentials.clientId, expiresAt: credentials.expiresAt });
  await tx
    .update(users)
    .set({ revokedBefore: sql`greatest(coalesce(${users.revokedBefore}, ${r.before}), ${r.before})` })
    .where(eq(users.id, r.userId));
  const disabled = r.disableClients
    ? await tx
        .update(clients)
        .set({ disabledAt: r.before, disabledReason: r.reason })
        .where(and(eq(clients.userId, r.userId), isNull(clients.disabledAt)))
        .returning({ id: clients.id })
    : [];

  const entries: AuditEntry[] = [
    { action: 'user.revoked', userId: r.userId, reason: r.reason, actor: r.actor, at: r.before },
    ...revoked.map((c) => ({ action: 'credential.revoked' as const, userId: r.userId, clientId: c.clientId, jti: c.jti, reason: r.reason, actor: r.actor, at: r.before })),
    ...disabled.map((c) => ({ action: 'client.disabled' as const, userId: r.userId, clientId: c.id, reason: r.reason, actor: r.actor, at: r.before })),
  ];
  await writeAudit(tx, entries);
  // the user-wide event covers every credential by `iat`; the per-jti events make the ones the
  // database knows dead even if the replica that minted them runs on a clock ahead of this one
  const perJti = revoked.length <= MAX_JTI_EVENTS_PER_USER ? revoked : [];
  await enqueue(tx, outbox, [
    revocationMessage({ userId: r.userId, revokedBefore: r.before.toISOString(), reason: r.reason }),
    ...perJti.map((c) => revocationMessage({ userId: r.userId, jti: c.jti, expiresAt: c.expiresAt.toISOString(), reason: r.reason })),
  ]);
  return { jtis: revoked.map((c) => c.jti), clientIds: disabled.map((c) => c.id) };
}

export interface CredentialRevocation {
  jtis: string[];
  reason: string;
  actor: string | null;
  at: Date;
}

/** Revoke single credentials (RFC 7009, a lost profile or queue). Already revoked ones are skipped. */
export async function revokeCredentials(tx: Tx, r: CredentialRevocation): Promise<string[]> {
  if (r.jtis.length === 0) return [];
  const rows = await tx
    .update(credentials)
    .set({ revokedAt: r.at, revokeReason: r.reason })
    .where(and(inArray(credentials.jti, r.jtis), isNull(credentials.revokedAt)))
    .returning({ jti: credentials.jti, userId: credentials.userId, clientId: credentials.clientId, expiresAt: credentials.expiresAt });
  if (rows.length === 0) return [];
  await writeAudit(
    tx,
    rows.map((c) => ({ action: 'credential.revoked' as const, userId: c.userId, clientId: c.clientId, jti: c.jti, reason: r.reason, actor: r.actor, at: r.at })),
  );
  await enqueue(
    tx,
    outbox,
    rows.map((c) =>
      revocationMessage({ ...(c.userId ? { userId: c.userId } : {}), jti: c.jti, expiresAt: c.expiresAt.toISOString(), reason: r.reason }),
    ),
  );
  return rows.map((c) => c.jti);
}

type RevocationFacts = Omit<TokenRevokedEvent, 'id' | 'type' | 'time'>;

function revocationMessage(facts: RevocationFacts): OutboxMessage {
  const event: TokenRevokedEvent = { id: randomUUID(), type: 'token.revoked', time: new Date().toISOString(), ...facts };
  return { subject: tokenRevokedSubject(facts.userId), event: event as OutboxMessage['event'] };
}
