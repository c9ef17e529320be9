import { randomBytes } from 'node:crypto';

/** `ffc_` + 128 random bits: public, appears in logs and the audit trail. */
export function newClientId(): string {
  return `ffc_${randomBytes(16).toString('base64url')}`;
}

/** `ffs_` + 256 random bits. Shown once; only its HMAC is stored. */
export function newClientSecret(): string {
  return `ffs_${randomBytes(32).toString('base64url')}`;
}

/** Client ids we issue have one shape; anything else cannot exist (still runs the same hash path). */
export function plausibleClientId(id: string): boolean {
  return /^ffc_[A-Za-z0-9_-]{10,64}$/.test(id);
}
