import { randomUUID } from 'node:crypto';
import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { tokenRevokedSubject, type TokenRevokedEvent } from '@ffgate/contracts';
import type { OutboxMessage } from '@ffgate/outbox';
import { enqueueChunked, sharedAuditMessage, userNames, writeAudit, type AuditEntry } from '../store/audit.ts';
import type { Tx } from '../store/executor.ts';
import { clients, credentials, users } from '../store/schema.ts';

/**
 * Revocations, always inside the caller's transaction: the database rows, the audit trail and the
 * `token.revoked` outbox event commit together, so a verifier hears of every revocation the
 * database records, and of none that rolled back.
 */
const MAX_JTI_EVENTS_PER_USER = 1000;
/**
 * Per-credential records in the shared audit trail (AUDIT) per revocation. `token.audit` keeps a
 * row for every credential; beyond this the shared trail gets the first ones plus a summary
 * (`credentials`, `credentialRecords`), so one mass deprovisioning cannot flood the stream.
 */
export const MAX_SHARED_AUDIT_RECORDS = 1000;

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

  // the user-wide event covers every credential by `iat`; the per-jti events make the ones the
  // database knows dead even if the replica that minted them runs on a clock ahead of this one
  const perJti = revoked.length <= MAX_JTI_EVENTS_PER_USER ? revoked : [];
  await enqueueChunked(tx, [
    revocationMessage({ userId: r.userId, revokedBefore: r.before.toISOString(), reason: r.reason }),
    ...perJti.map((c) => revocationMessage({ userId: r.userId, jti: c.jti, expiresAt: c.expiresAt.toISOString(), reason: r.reason })),
  ]);
  // after the revocation events, so the relay publishes those first (lower seq)
  const base = { userId: r.userId, reason: r.reason, actor: r.actor, at: r.before };
  await writeAudit(tx, [
    {
      action: 'user.revoked',
      ...base,
      details: { revokedBefore: r.before.toISOString(), credentials: revoked.length, credentialRecords: Math.min(revoked.length, MAX_SHARED_AUDIT_RECORDS) },
    },
    ...revoked.map((c, i) => ({
      action: 'credential.revoked' as const,
      ...base,
      clientId: c.clientId,
      jti: c.jti,
      details: { expiresAt: c.expiresAt.toISOString() },
      share: i < MAX_SHARED_AUDIT_RECORDS,
    })),
    ...disabled.map((c) => ({ action: 'client.disabled' as const, ...base, clientId: c.id })),
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
  await enqueueChunked(
    tx,
    rows.map((c) =>
      revocationMessage({ ...(c.userId ? { userId: c.userId } : {}), jti: c.jti, expiresAt: c.expiresAt.toISOString(), reason: r.reason }),
    ),
  );
  const entries: AuditEntry[] = rows.map((c, i) => ({
    action: 'credential.revoked',
    userId: c.userId,
    clientId: c.clientId,
    jti: c.jti,
    reason: r.reason,
    actor: r.actor,
    at: r.at,
    details: { expiresAt: c.expiresAt.toISOString() },
    share: i < MAX_SHARED_AUDIT_RECORDS,
  }));
  await writeAudit(tx, entries);
  if (rows.length > MAX_SHARED_AUDIT_RECORDS) await writeSharedSummary(tx, rows.slice(MAX_SHARED_AUDIT_RECORDS), r);
  return rows.map((c) => c.jti);
}

/**
 * The credentials past the per-revocation cap, one summary per user in the shared trail only
 * (their `token.audit` rows are written above): `credential.revoked` without a jti, with counts.
 */
async function writeSharedSummary(tx: Tx, omitted: { userId: string | null; clientId: string }[], r: CredentialRevocation): Promise<void> {
  const byUser = new Map<string | null, { count: number; clientIds: Set<string> }>();
  for (const c of omitted) {
    const group = byUser.get(c.userId) ?? { count: 0, clientIds: new Set<string>() };
    group.count++;
    group.clientIds.add(c.clientId);
    byUser.set(c.userId, group);
  }
  const summaries = [...byUser].map(([userId, g]) => ({
    action: 'credential.revoked' as const,
    userId,
    clientId: g.clientIds.size === 1 ? [...g.clientIds][0]! : null,
    at: r.at,
    details: { reason: r.reason, ...(r.actor ? { actor: r.actor } : {}), scope: 'summary', credentialsWithoutRecord: g.count },
  }));
  const names = await userNames(tx, summaries.map((e) => e.userId));
  await enqueueChunked(tx, summaries.map((e) => sharedAuditMessage(e, e.userId ? (names.get(e.userId) ?? null) : null)));
}

type RevocationFacts = Omit<TokenRevokedEvent, 'id' | 'type' | 'time'>;

function revocationMessage(facts: RevocationFacts): OutboxMessage {
  const event: TokenRevokedEvent = { id: randomUUID(), type: 'token.revoked', time: new Date().toISOString(), ...facts };
  return { subject: tokenRevokedSubject(facts.userId), event: event as OutboxMessage['event'] };
}
