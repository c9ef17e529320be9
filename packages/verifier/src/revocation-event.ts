import { z } from 'zod';

/**
 * `token.revoked` — published by the token service through its outbox on subject
 * `token.revoked.<userId>` in stream TOKENS (kept at least as long as the longest credential
 * lifetime, so a verifier that starts late replays what it missed). Two forms:
 * - a user: every credential of `userId` issued at or before `revokedBefore` is dead
 *   (deactivation, deletion, a lost profile or queue);
 * - one credential: `jti`, with its `expiresAt` so verifiers know when to forget it (RFC 7009).
 * To move into @ffgate/contracts once the token service lands.
 */
const DateTime = z.iso.datetime({ offset: true });

export const TokenRevokedEvent = z
  .object({
    id: z.string().min(1),
    type: z.literal('token.revoked'),
    /** when the revocation was decided */
    time: DateTime,
    userId: z.string().min(1).optional(),
    revokedBefore: DateTime.optional(),
    jti: z.string().min(1).optional(),
    expiresAt: DateTime.optional(),
    /** e.g. `user.deactivated`, `user.deleted`, `grant.removed`, `client.revoked` */
    reason: z.string().min(1).max(200),
  })
  .superRefine((e, ctx) => {
    const userForm = e.revokedBefore !== undefined;
    const jtiForm = e.jti !== undefined;
    if (!userForm && !jtiForm) ctx.addIssue({ code: 'custom', message: 'needs revokedBefore (with userId) or jti (with expiresAt)' });
    if (userForm && e.userId === undefined) ctx.addIssue({ code: 'custom', path: ['userId'], message: 'revokedBefore needs userId' });
    if (jtiForm && e.expiresAt === undefined) ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'jti needs expiresAt' });
  });
export type TokenRevokedEvent = z.infer<typeof TokenRevokedEvent>;

export const TOKENS_STREAM = 'TOKENS';
export const TOKEN_REVOKED_TYPE = 'token.revoked';

/** `token.revoked.<userId>`; a jti revocation without a known user goes to `token.revoked._`. */
export function tokenRevokedSubject(userId: string | undefined): string {
  return `${TOKEN_REVOKED_TYPE}.${userId ?? '_'}`;
}
