import { configKey, defineConfig, urlSchema, type Env } from '@ffgate/config';

/** The SCIM service's own keys (added to the common ones). */
export const scimConfigKeys = {
  tokenUrl: configKey('FFGATE_TOKEN_URL', urlSchema(['http:', 'https:']).optional(), {
    description:
      'Base URL of the token service. When set, the SCIM API also accepts OAuth access tokens (scope `scim`) minted there, checked against its JWKS.',
  }),
  issuer: configKey('FFGATE_ISSUER', urlSchema(['http:', 'https:']).optional(), {
    description: 'Expected `iss` of those access tokens. Unset: FFGATE_TOKEN_URL.',
  }),
};

export const scimConfigLoader = defineConfig(scimConfigKeys);
export type ScimConfig = ReturnType<typeof scimConfigLoader.load>;
export function loadScimConfig(env?: Env): ScimConfig {
  return scimConfigLoader.load(env);
}
