/**
 * Runs the token service alone: `pnpm --filter @ffgate/token start`. The only file that reads
 * process.env and handles signals; the all-in-one process composes `createTokenService` itself.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import { connectBus } from '@ffgate/bus';
import { openDatabase } from '@ffgate/db';
import { createLogger, createMetrics, healthRoutes, httpMetricsMiddleware, shutdownTelemetry } from '@ffgate/telemetry';
import { loadTokenConfig } from './config.ts';
import { createTokenService } from './service.ts';

const config = loadTokenConfig(process.env);
const logger = createLogger({ name: 'ffgate-token', level: config.logLevel });
const metrics = createMetrics({ service: 'token' });

const pgliteDir = join(config.dataDir, 'token-db');
if (!config.databaseUrl) mkdirSync(pgliteDir, { recursive: true });
const database = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: pgliteDir });
const bus = await connectBus({ natsUrl: config.natsUrl, name: 'ffgate-token', logger });
const service = createTokenService({ config, database, bus, logger, metrics });
await service.start();

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.use(httpMetricsMiddleware(metrics.registry));
app.use(healthRoutes({ ready: () => service.ready(), registry: metrics.registry }));
app.use(service.router);

const server = app.listen(config.port, () => logger.info({ port: config.port, issuer: service.issuer }, 'token service listening'));

let shuttingDown = false;
async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, 'shutting down');
  // stop intake, then the consumers and relay, then the connections they used
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await service.stop();
  await bus.close();
  await database.close();
  await shutdownTelemetry().catch(() => undefined);
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
