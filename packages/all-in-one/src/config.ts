import { defineConfig, type Env } from '@ffgate/config';
import { tokenConfigKeys } from '@ffgate/token';

/**
 * The all-in-one process reads the union of every service's configuration keys (a key shared by
 * several services, such as FFGATE_POLICY, is declared once).
 */
export const allInOneConfigLoader = defineConfig({ ...tokenConfigKeys });
export type AllInOneConfig = ReturnType<typeof allInOneConfigLoader.load>;
export function loadAllInOneConfig(env?: Env): AllInOneConfig {
  return allInOneConfigLoader.load(env);
}
