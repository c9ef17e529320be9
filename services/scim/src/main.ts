/**
 * Runs the SCIM service alone: `pnpm --filter @ffgate/scim start`. The all-in-one process composes
 * createScimService itself; @ffgate/runtime does config, connections, HTTP and signals.
 */
import { join } from 'node:path';
import { runService } from '@ffgate/runtime';
import { createJwksScimTokenVerifier } from './auth/index.ts';
import { loadScimConfig } from './config.ts';
import { createScimService } from './service.ts';

await runService({
  name: 'scim',
  loadConfig: loadScimConfig,
  embeddedDatabaseDir: (config) => join(config.dataDir, 'scim-db'),
  build: ({ config, database, bus, logger, metrics }) =>
    createScimService({
      config: { adminToken: config.adminToken, scimToken: config.scimToken, publicUrl: config.publicUrl },
      database: database!,
      bus,
      logger,
      metrics,
      // IdP connections that authenticate with OAuth client credentials at the token service
      ...(config.tokenUrl
        ? { accessTokenVerifier: createJwksScimTokenVerifier({ tokenUrl: config.tokenUrl, issuer: config.issuer ?? config.tokenUrl }) }
        : {}),
    }),
});
