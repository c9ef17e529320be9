import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The embedded default should work with no setup, and the admin API needs a token: when
 * FFGATE_ADMIN_TOKEN is unset outside production, one is generated once into the data directory
 * (mode 0600) and printed at start. Production must set FFGATE_ADMIN_TOKEN itself.
 */
export function developmentAdminToken(dataDir: string): { token: string; file: string; created: boolean } {
  const file = join(dataDir, 'admin-token');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), file, created: false };
  mkdirSync(dataDir, { recursive: true });
  const token = `ffadmin_${randomBytes(32).toString('base64url')}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  return { token, file, created: true };
}
