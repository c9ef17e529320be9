import { configKey as configKeyOf, defineConfig, positiveIntSchema, secretSchema, urlSchema, z, type Env } from '@ffgate/config';
import { MIN_KEK_LENGTH } from './crypto/kek.ts';

export const MAX_TOKEN_TTL_SECONDS = 3600;

/** The token service's own configuration keys (added to the common ones). */
export const tokenConfigKeys = {
  issuer: configKeyOf('FFGATE_ISSUER', urlSchema(['http:', 'https:']).optional(), {
    description: 'Issuer (`iss`) of job credentials and base of the OAuth metadata. Unset: FFGATE_PUBLIC_URL, else http://localhost:<PORT>.',
  }),
  keyEncryptionKey: configKeyOf('FFGATE_KEY_ENCRYPTION_KEY', secretSchema(MIN_KEK_LENGTH).optional(), {
    description: `Secret (at least ${MIN_KEK_LENGTH} characters) sealing the signing keys and keying client-secret hashes. Required in production; in development one is generated into FFGATE_DATA_DIR.`,
    secret: true,
  }),
  policy: configKeyOf('FFGATE_POLICY', z.string().optional(), {
    description: 'Role policy file (YAML or JSON), reloaded when it changes. Unset: the shipped default policy.',
  }),
  tokenTtlSeconds: configKeyOf(
    'FFGATE_TOKEN_TTL_SECONDS',
    positiveIntSchema().pipe(z.number().max(MAX_TOKEN_TTL_SECONDS, `must be at most ${MAX_TOKEN_TTL_SECONDS}`)),
    { default: '600', description: `Lifetime of job credentials in seconds (at most ${MAX_TOKEN_TTL_SECONDS}).` },
  ),
  trustedIssuers: configKeyOf('FFGATE_TRUSTED_ISSUERS', z.string().optional(), {
    description: 'IdPs whose JWTs can be exchanged for job credentials (RFC 8693): a JSON array or a path to a JSON file.',
  }),
  keyRotationDays: configKeyOf('FFGATE_SIGNING_KEY_ROTATION_DAYS', positiveIntSchema(), {
    default: '30',
    description: 'Rotate the signing key after this many days; the old key stays published until its credentials expire.',
  }),
};

export const tokenConfigLoader = defineConfig(tokenConfigKeys);
export type TokenConfig = ReturnType<typeof tokenConfigLoader.load>;

export function loadTokenConfig(env?: Env): TokenConfig {
  return tokenConfigLoader.load(env);
}

/** FFGATE_ISSUER, else FFGATE_PUBLIC_URL, else http://localhost:<PORT>. */
export function issuerOf(config: Pick<TokenConfig, 'issuer' | 'publicUrl' | 'port'>): string {
  return (config.issuer ?? config.publicUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
}
