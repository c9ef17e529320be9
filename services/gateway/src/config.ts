import { configKey, defineConfig, positiveIntSchema, urlSchema, z, type Env } from '@ffgate/config';

/** The gateway's own configuration keys (added to the common ones). */
export const gatewayConfigKeys = {
  tokenUrl: configKey('FFGATE_TOKEN_URL', urlSchema(['http:', 'https:']).optional(), {
    description: 'Base URL of the token service; job credentials are checked against <FFGATE_TOKEN_URL>/.well-known/jwks.json. Unset: http://localhost:<PORT> (all-in-one).',
  }),
  issuer: configKey('FFGATE_ISSUER', urlSchema(['http:', 'https:']).optional(), {
    description: 'Expected `iss` of job credentials. Unset: FFGATE_TOKEN_URL.',
  }),
  mediaRoot: configKey('FFGATE_MEDIA_ROOT', z.string().min(1), {
    default: './.ffgate/media',
    description: 'Media root: job paths are shared/… (read-only) or home/… (the owner\'s area, <root>/home/<SCIM id>/…).',
  }),
  policy: configKey('FFGATE_POLICY', z.string().optional(), {
    description: 'Role policy file (YAML or JSON), reloaded when it changes; gives maxRunning / maxQueued. Unset: the shipped default.',
  }),
  jobMaxRuntimeSeconds: configKey('FFGATE_JOB_MAX_RUNTIME_SECONDS', positiveIntSchema(), {
    default: '3600',
    description: 'Longest an ffmpeg run may take before the transcoder stops it (sent with each job).',
  }),
  jobMaxOutputBytes: configKey('FFGATE_JOB_MAX_OUTPUT_BYTES', positiveIntSchema(), {
    default: String(10 * 1024 * 1024 * 1024),
    description: 'Largest output file a job may write, in bytes (sent with each job).',
  }),
};

export const gatewayConfigLoader = defineConfig(gatewayConfigKeys);
export type GatewayConfig = ReturnType<typeof gatewayConfigLoader.load>;

export function loadGatewayConfig(env?: Env): GatewayConfig {
  return gatewayConfigLoader.load(env);
}

/** What createGatewayService needs from the configuration (the all-in-one passes its own). */
export type GatewayServiceConfig = Pick<
  GatewayConfig,
  'tokenUrl' | 'issuer' | 'mediaRoot' | 'policy' | 'jobMaxRuntimeSeconds' | 'jobMaxOutputBytes' | 'adminToken' | 'port'
>;

export function tokenUrlOf(config: Pick<GatewayConfig, 'tokenUrl' | 'port'>): string {
  return (config.tokenUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
}

export function issuerOf(config: Pick<GatewayConfig, 'tokenUrl' | 'issuer' | 'port'>): string {
  return (config.issuer ?? tokenUrlOf(config)).replace(/\/+$/, '');
}
