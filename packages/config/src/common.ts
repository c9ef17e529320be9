import { z } from 'zod';
import { configKey } from './key.ts';
import { LOG_LEVELS, enumSchema, natsUrlSchema, portSchema, secretSchema, urlSchema } from './schemas.ts';

/** Keys every ffgate service reads. Services add their own with `defineConfig`. */
export const commonKeys = {
  port: configKey('PORT', portSchema(), { default: '8080', description: 'HTTP port to listen on.' }),
  dataDir: configKey('FFGATE_DATA_DIR', z.string(), {
    default: './.ffgate',
    description: 'Directory for local state (embedded database, media) in single-process mode.',
  }),
  databaseUrl: configKey('DATABASE_URL', urlSchema(['postgres:', 'postgresql:']).optional(), {
    description: 'PostgreSQL connection string. Unset: embedded PGlite in FFGATE_DATA_DIR.',
    secret: true,
  }),
  natsUrl: configKey('NATS_URL', natsUrlSchema().optional(), {
    description: 'NATS server URL(s), comma-separated. Unset: in-process bus (single process only).',
  }),
  adminToken: configKey('FFGATE_ADMIN_TOKEN', secretSchema(16).optional(), {
    description: 'Bearer token for the admin API (at least 16 characters). Unset: admin API disabled.',
    secret: true,
  }),
  scimToken: configKey('FFGATE_SCIM_TOKEN', secretSchema(16).optional(), {
    description: 'Bootstrap bearer token accepted by the SCIM API (at least 16 characters).',
    secret: true,
  }),
  publicUrl: configKey('FFGATE_PUBLIC_URL', urlSchema(['http:', 'https:']).optional(), {
    description: 'Externally visible base URL, used for SCIM meta.location and printed at start-up.',
  }),
  logLevel: configKey('LOG_LEVEL', enumSchema(LOG_LEVELS), {
    default: 'info',
    description: `Log level: ${LOG_LEVELS.join(', ')}.`,
  }),
  nodeEnv: configKey('NODE_ENV', z.string(), {
    default: 'development',
    description: 'development, test or production; production warns about in-memory adapters.',
  }),
};

export type CommonKeys = typeof commonKeys;
