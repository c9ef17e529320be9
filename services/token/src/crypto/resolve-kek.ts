import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TokenServiceError } from '../errors.ts';
import { generateKek, MIN_KEK_LENGTH } from './kek.ts';

export const DEV_KEK_FILE = 'token-key-encryption-key';

/**
 * FFGATE_KEY_ENCRYPTION_KEY, or — outside production only — one generated once and kept in
 * FFGATE_DATA_DIR, with a loud warning: whoever can read that directory can unseal the keys.
 */
export function resolveKeyEncryptionKey(
  config: { keyEncryptionKey?: string | undefined; nodeEnv: string; dataDir: string },
  logger: { warn(obj: object, msg: string): void },
): string {
  if (config.keyEncryptionKey) return config.keyEncryptionKey;
  if (config.nodeEnv === 'production') {
    throw new TokenServiceError('FFGATE_TOKEN_KEK_INVALID', 'FFGATE_KEY_ENCRYPTION_KEY is required in production');
  }
  const file = join(config.dataDir, DEV_KEK_FILE);
  let kek: string;
  if (existsSync(file)) {
    kek = readFileSync(file, 'utf8').trim();
    if (kek.length < MIN_KEK_LENGTH) throw new TokenServiceError('FFGATE_TOKEN_KEK_INVALID', `${file} holds no usable key`);
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    kek = generateKek();
    writeFileSync(file, `${kek}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  }
  logger.warn(
    { file },
    '!!! FFGATE_KEY_ENCRYPTION_KEY is not set: using a development key stored in FFGATE_DATA_DIR. Anyone who can read that file can unseal the signing keys. Set FFGATE_KEY_ENCRYPTION_KEY in production. !!!',
  );
  return kek;
}
