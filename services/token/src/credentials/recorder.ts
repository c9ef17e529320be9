import { sql, type SQL } from 'drizzle-orm';
import type { Drizzle } from '@ffgate/db';
import { enqueueChunked, sharedAuditMessage } from '../store/audit.ts';

export interface CredentialRecord {
  jti: string;
  userId: string | null;
  clientId: string;
  kind: 'job' | 'scim';
  profiles: string[];
  queues: string[];
  issuedAt: Date;
  expiresAt: Date;
  actor: string;
  /** for the shared audit trail */
  userName: string | null;
  /** `client_credentials` or `token_exchange` */
  grant: string;
}

/**
 * Writes issued credentials, their audit rows and their `audit.record` outbox events (one
 * transaction), grouping concurrent mints into one batch (application-level group commit). Each `record` resolves only once its row is committed, so a
 * credential is never handed out before the database knows it; under load one round trip and one
 * commit serve many mints instead of one each.
 */
export function createCredentialRecorder(db: Drizzle, options: { maxBatch?: number; maxInFlight?: number } = {}) {
  const maxBatch = options.maxBatch ?? 256;
  const maxInFlight = options.maxInFlight ?? 2;
  let queue: { record: CredentialRecord; resolve: () => void; reject: (err: unknown) => void }[] = [];
  let inFlight = 0;
  let scheduled = false;

  function schedule(): void {
    if (scheduled || inFlight >= maxInFlight || queue.length === 0) return;
    scheduled = true;
    // let the mints of this turn of the event loop join the batch
    setImmediate(() => {
      scheduled = false;
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      inFlight++;
      write(batch.map((b) => b.record))
        .then(
          () => batch.forEach((b) => b.resolve()),
          (err: unknown) => batch.forEach((b) => b.reject(err)),
        )
        .finally(() => {
          inFlight--;
          schedule();
        });
      schedule();
    });
  }

  async function write(records: CredentialRecord[]): Promise<void> {
    const credentialRows: SQL[] = records.map(
      (c) =>
        sql`(${c.jti}, ${c.userId}, ${c.clientId}, ${c.kind}, ${JSON.stringify(c.profiles)}::jsonb, ${JSON.stringify(c.queues)}::jsonb, ${c.issuedAt.toISOString()}::timestamptz, ${c.expiresAt.toISOString()}::timestamptz)`,
    );
    const auditRows: SQL[] = records.map((c) => sql`('credential.issued', ${c.userId}, ${c.clientId}, ${c.jti}, ${c.kind}, ${c.actor})`);
    const shared = records.map((c) =>
      sharedAuditMessage(
        {
          action: 'credential.issued',
          userId: c.userId,
          clientId: c.clientId,
          jti: c.jti,
          actor: c.actor,
          details: { kind: c.kind, grant: c.grant, profiles: c.profiles, queues: c.queues, iat: c.issuedAt.toISOString(), exp: c.expiresAt.toISOString() },
        },
        c.userName,
      ),
    );
    await db.transaction(async (tx) => {
      await tx.execute(sql`
        with c as (
          insert into "token"."credentials" (jti, user_id, client_id, kind, profiles, queues, issued_at, expires_at)
          values ${sql.join(credentialRows, sql`, `)}
        )
        insert into "token"."audit" (action, user_id, client_id, jti, reason, actor)
        values ${sql.join(auditRows, sql`, `)}`);
      await enqueueChunked(tx, shared);
    });
  }

  return {
    record(record: CredentialRecord): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        queue.push({ record, resolve, reject });
        schedule();
      });
    },
  };
}
export type CredentialRecorder = ReturnType<typeof createCredentialRecorder>;
