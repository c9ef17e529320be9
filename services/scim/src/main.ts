/**
 * Runs the SCIM service alone: `pnpm --filter @ffgate/scim start`. The only file of this service
 * that reads process.env and handles signals; the all-in-one process composes createScimService itself.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import { connectBus } from '@ffgate/bus';
import { ConfigError } from '@ffgate/config';
import { openDatabase } from '@ffgate/db';
import { createLogger, createMetrics, healthRoutes, httpMetricsMiddleware, shutdownTelemetry } from '@ffgate/telemetry';
import { createJwksScimTokenVerifier } from './auth/index.ts';
import { loadScimConfig } from './config.ts';
import { createScimService } from './service.ts';

let config;
try {
  config = loadScimConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}
const logger = createLogger({ name: 'ffgate-scim', level: config.logLevel });
const metrics = createMetrics({ service: 'scim' });

const pgliteDir = join(config.dataDir, 'scim-db');
if (!config.databaseUrl) mkdirSync(pgliteDir, { recursive: true });
const database = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: pgliteDir });
const bus = await connectBus({ natsUrl: config.natsUrl, name: 'ffgate-scim', logger });
const service = createScimService({
  config: { adminToken: config.adminToken, scimToken: config.scimToken, publicUrl: config.publicUrl },
  database,
  bus,
  logger,
  metrics,
  // IdP connections that authenticate with OAuth client credentials at the token service
  ...(config.tokenUrl
    ? { accessTokenVerifier: createJwksScimTokenVerifier({ tokenUrl: config.tokenUrl, issuer: config.issuer ?? config.tokenUrl }) }
    : {}),
});
await service.start();

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.use(httpMetricsMiddleware(metrics.registry));
app.use(healthRoutes({ ready: () => service.ready(), registry: metrics.registry }));
app.use(service.router);

const server = app.listen(config.port, () => logger.info({ port: config.port }, 'SCIM service listening'));

let shuttingDown = false;
async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, 'shutting down');
  // reverse order of start: stop intake, then the relay, then the connections it used
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await service.stop();
  await bus.close();
  await database.close();
  await shutdownTelemetry().catch(() => undefined);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
