import { z } from 'zod';

/**
 * `token.revoked` — published by the token service through its outbox on subject
 * `token.revoked.<userId>` in stream TOKENS (kept at least as long as the longest credential
 * lifetime, so a verifier that starts late replays what it missed). Two forms:
 * - a user: every credential of `userId` issued at or before `revokedBefore` is dead
 *   (deactivation, deletion);
 * - one credential: `jti`, with its `expiresAt` so verifiers know when to forget it (RFC 7009,
 *   a profile or queue taken away).
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

/**
 * The TOKENS stream: limits retention, kept 2 hours — twice the longest credential lifetime (1 h),
 * so a verifier that starts late still replays every revocation that can matter.
 */
export const TokensStream = {
  name: TOKENS_STREAM,
  subjects: ['token.>'],
  storage: 'file',
  maxAgeMs: 2 * 60 * 60 * 1000,
} as const;

/** `token.revoked.<userId>`; a jti revocation without a known user goes to `token.revoked._`. */
export function tokenRevokedSubject(userId: string | undefined): string {
  return `${TOKEN_REVOKED_TYPE}.${userId ?? '_'}`;
}

/** True for `token.revoked` and `token.revoked.<anything>`. */
export function isTokenRevokedSubject(subject: string): boolean {
  return subject === TOKEN_REVOKED_TYPE || subject.startsWith(`${TOKEN_REVOKED_TYPE}.`);
}

/**
 * OAuth access tokens the token service mints for IdP connections that authenticate with client
 * credentials (Entra ID gallery apps): the SCIM service accepts them as well as static tokens.
 */
export const SCIM_AUDIENCE = 'ffgate-scim';
export const SCIM_SCOPE = 'scim';
