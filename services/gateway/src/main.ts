/**
 * Runs the job gateway alone: `pnpm --filter @ffgate/gateway start`. The all-in-one process
 * composes `createGatewayService` itself; @ffgate/runtime does config, connections, HTTP and signals
 * (SSE streams end when the service stops).
 */
import { join } from 'node:path';
import { runService } from '@ffgate/runtime';
import { loadGatewayConfig } from './config.ts';
import { createGatewayService } from './service.ts';

await runService({
  name: 'gateway',
  loadConfig: loadGatewayConfig,
  embeddedDatabaseDir: (config) => join(config.dataDir, 'gateway-db'),
  build: ({ config, database, bus, logger, metrics }) => createGatewayService({ config, database: database!, bus, logger, metrics }),
});
