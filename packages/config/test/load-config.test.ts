import { describe, expect, test } from '@jest/globals';
import { ConfigError, configKey, configKeys, defineConfig, loadConfig, positiveIntSchema, z } from '@ffgate/config';

describe('loadConfig', () => {
  test('applies defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      port: 8080,
      dataDir: './.ffgate',
      databaseUrl: undefined,
      natsUrl: undefined,
      adminToken: undefined,
      scimToken: undefined,
      publicUrl: undefined,
      logLevel: 'info',
      nodeEnv: 'development',
    });
  });

  test('parses every key when valid', () => {
    const config = loadConfig({
      PORT: '9000',
      FFGATE_DATA_DIR: '/var/lib/ffgate',
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/ffgate',
      NATS_URL: 'nats://a:4222, nats://b:4222',
      FFGATE_ADMIN_TOKEN: 'a'.repeat(16),
      FFGATE_SCIM_TOKEN: 'b'.repeat(32),
      FFGATE_PUBLIC_URL: 'https://ffgate.example.com',
      LOG_LEVEL: 'debug',
      NODE_ENV: 'production',
    });
    expect(config.port).toBe(9000);
    expect(config.databaseUrl).toBe('postgresql://postgres@127.0.0.1:5432/ffgate');
    expect(config.natsUrl).toBe('nats://a:4222, nats://b:4222');
    expect(config.logLevel).toBe('debug');
    expect(config.publicUrl).toBe('https://ffgate.example.com');
  });

  test('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ port: 8080, databaseUrl: undefined });
  });

  test('reports every invalid key in one ConfigError', () => {
    const env = {
      PORT: '70000',
      DATABASE_URL: 'mysql://root@localhost/db',
      NATS_URL: 'nats://ok:4222,http://bad:4222',
      FFGATE_ADMIN_TOKEN: 'short',
      FFGATE_SCIM_TOKEN: 'also-short',
      FFGATE_PUBLIC_URL: 'not a url',
      LOG_LEVEL: 'loud',
    };
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.code).toBe('FFGATE_CONFIG_INVALID');
    expect(configError.issues.map((i) => i.key).sort()).toEqual(
      ['DATABASE_URL', 'FFGATE_ADMIN_TOKEN', 'FFGATE_PUBLIC_URL', 'FFGATE_SCIM_TOKEN', 'LOG_LEVEL', 'NATS_URL', 'PORT'].sort(),
    );
    for (const key of Object.keys(env)) expect(configError.message).toContain(key);
    expect(configError.issues.find((i) => i.key === 'FFGATE_ADMIN_TOKEN')?.message).toMatch(/16 characters/);
    // secrets never appear in the message
    expect(configError.message).not.toContain('also-short');
  });

  test('rejects a non-numeric port with a readable message', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT: must be an integer between 1 and 65535/);
  });

  test('returns a frozen object', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
  });
});

describe('defineConfig', () => {
  const tokenConfig = defineConfig({
    issuer: configKey('FFGATE_ISSUER', z.string({ error: 'is required' }).url(), {
      description: 'Issuer URL of the token service.',
    }),
    tokenTtlSeconds: configKey('FFGATE_TOKEN_TTL_SECONDS', positiveIntSchema(), {
      default: '300',
      description: 'Access token lifetime.',
    }),
  });

  test('merges common and service keys', () => {
    const config = tokenConfig.load({ FFGATE_ISSUER: 'https://id.example.com', PORT: '8082' });
    expect(config).toMatchObject({ issuer: 'https://id.example.com', tokenTtlSeconds: 300, port: 8082, logLevel: 'info' });
    expect(tokenConfig.keys.map((k) => k.env)).toEqual(expect.arrayContaining(['PORT', 'FFGATE_ISSUER', 'FFGATE_TOKEN_TTL_SECONDS']));
  });

  test('reports a missing required service key together with common-key problems', () => {
    expect(() => tokenConfig.load({ PORT: '0' })).toThrow(
      expect.objectContaining({
        issues: [
          { key: 'PORT', message: 'must be between 1 and 65535' },
          { key: 'FFGATE_ISSUER', message: 'is required' },
        ],
      }),
    );
  });

  test('refuses two properties reading the same variable', () => {
    expect(() => defineConfig({ otherPort: configKey('PORT', z.string(), { description: 'dup' }) })).toThrow(/PORT is declared twice/);
  });
});

describe('configKeys', () => {
  test('documents every common key with a description', () => {
    expect(configKeys.map((k) => k.env)).toEqual([
      'PORT',
      'FFGATE_DATA_DIR',
      'DATABASE_URL',
      'NATS_URL',
      'FFGATE_ADMIN_TOKEN',
      'FFGATE_SCIM_TOKEN',
      'FFGATE_PUBLIC_URL',
      'LOG_LEVEL',
      'NODE_ENV',
    ]);
    for (const key of configKeys) expect(key.description.length).toBeGreaterThan(10);
    expect(configKeys.find((k) => k.env === 'PORT')?.default).toBe('8080');
  });
});
