/**
 * Runs the token service alone: `pnpm --filter @ffgate/token start`. The all-in-one process
 * composes `createTokenService` itself; @ffgate/runtime does config, connections, HTTP and signals.
 */
import { join } from 'node:path';
import { runService } from '@ffgate/runtime';
import { loadTokenConfig } from './config.ts';
import { createTokenService } from './service.ts';

await runService({
  name: 'token',
  loadConfig: loadTokenConfig,
  embeddedDatabaseDir: (config) => join(config.dataDir, 'token-db'),
  build: ({ config, database, bus, logger, metrics }) => createTokenService({ config, database: database!, bus, logger, metrics }),
});
