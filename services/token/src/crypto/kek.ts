import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { TokenServiceError } from '../errors.ts';

/**
 * Keys derived from FFGATE_KEY_ENCRYPTION_KEY (HKDF-SHA-256, one label per use) so the secret
 * itself never keys two things: one AES-256-GCM key seals the signing keys, one HMAC key hashes
 * client secrets.
 */
export interface DerivedKeys {
  /** AES-256-GCM: seal/open private signing keys */
  seal(plaintext: Buffer, associatedData: string): string;
  open(sealed: string, associatedData: string): Buffer;
  /** HMAC-SHA-256 of a client secret, hex */
  secretHmac(secret: string): string;
}

export const MIN_KEK_LENGTH = 32;
const SALT = Buffer.from('ffgate/token/v1');

export function deriveKeys(keyEncryptionKey: string): DerivedKeys {
  if (typeof keyEncryptionKey !== 'string' || keyEncryptionKey.length < MIN_KEK_LENGTH) {
    throw new TokenServiceError('FFGATE_TOKEN_KEK_INVALID', `FFGATE_KEY_ENCRYPTION_KEY must be at least ${MIN_KEK_LENGTH} characters`);
  }
  const ikm = Buffer.from(keyEncryptionKey, 'utf8');
  const sealKey = Buffer.from(hkdfSync('sha256', ikm, SALT, 'signing-key-encryption', 32));
  const hmacKey = Buffer.from(hkdfSync('sha256', ikm, SALT, 'client-secret-hmac', 32));

  return {
    seal(plaintext, associatedData) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', sealKey, iv);
      cipher.setAAD(Buffer.from(associatedData, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed, associatedData) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new TokenServiceError('FFGATE_TOKEN_KEY_UNSEAL', 'sealed key has an unknown format');
      try {
        const decipher = createDecipheriv('aes-256-gcm', sealKey, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(associatedData, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
      } catch (cause) {
        throw new TokenServiceError('FFGATE_TOKEN_KEY_UNSEAL', 'cannot open a signing key: wrong FFGATE_KEY_ENCRYPTION_KEY?', { cause });
      }
    },
    secretHmac(secret) {
      return createHmac('sha256', hmacKey).update(secret, 'utf8').digest('hex');
    },
  };
}

/** Constant-time comparison of two hex digests of equal length. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A fresh random key-encryption key (development only: main persists it in FFGATE_DATA_DIR). */
export function generateKek(): string {
  return randomBytes(32).toString('base64url');
}
