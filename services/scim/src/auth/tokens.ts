import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Connection tokens: `ffscim_<connectionId>_<secret>`, the secret being 32 random bytes in
 * base64url (43 characters, 256 bits). Only `sha256(token)` is stored. A plain hash is enough
 * for a 256-bit random secret (nobody can brute-force it, so a slow KDF adds nothing), and
 * scrypt would cost ~30 ms on every SCIM request (see STACK.md).
 */
export const TOKEN_PREFIX = 'ffscim_';
const ID_PATTERN = /^[0-9a-f]{24}$/;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newConnectionId(): string {
  return randomBytes(12).toString('hex');
}

export function newToken(connectionId: string): string {
  return `${TOKEN_PREFIX}${connectionId}_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time comparison of two sha256 hex digests (equal length by construction). */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length === 32 && timingSafeEqual(left, right);
}

/** The connection id inside a well-formed token, else undefined. */
export function connectionIdOf(token: string): string | undefined {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const rest = token.slice(TOKEN_PREFIX.length);
  const separator = rest.indexOf('_');
  if (separator < 0) return undefined;
  const id = rest.slice(0, separator);
  const secret = rest.slice(separator + 1);
  return ID_PATTERN.test(id) && SECRET_PATTERN.test(secret) ? id : undefined;
}

/** Compared against when the id is unknown, so both paths hash and compare the same way. */
export const DUMMY_HASH = hashToken(`${TOKEN_PREFIX}000000000000000000000000_${'A'.repeat(43)}`);

/** Bearer credentials from an Authorization header (scheme is case-insensitive, RFC 9110 §11.1). */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header);
  return match?.[1];
}
