import { defineConfig, type Env } from '@ffgate/config';
import { gatewayConfigKeys } from '@ffgate/gateway';
import { scimConfigKeys } from '@ffgate/scim';
import { tokenConfigKeys } from '@ffgate/token';
import { transcoderConfigKeys } from '@ffgate/transcoder';

/**
 * The all-in-one process reads the union of every service's configuration keys. Keys shared by
 * several services (FFGATE_POLICY, FFGATE_MEDIA_ROOT, FFGATE_ISSUER, FFGATE_TOKEN_URL) have the
 * same property name in each service's table, so the union declares each once.
 */
export const allInOneConfigLoader = defineConfig({
  ...scimConfigKeys,
  ...transcoderConfigKeys,
  ...gatewayConfigKeys,
  ...tokenConfigKeys,
});
export type AllInOneConfig = ReturnType<typeof allInOneConfigLoader.load>;
export function loadAllInOneConfig(env?: Env): AllInOneConfig {
  return allInOneConfigLoader.load(env);
}
