/**
 * Runs the job gateway alone: `pnpm --filter @ffgate/gateway start`. The only file that reads
 * process.env and handles signals; the all-in-one process composes `createGatewayService` itself.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import { connectBus } from '@ffgate/bus';
import { openDatabase } from '@ffgate/db';
import { createLogger, createMetrics, healthRoutes, httpMetricsMiddleware, shutdownTelemetry } from '@ffgate/telemetry';
import { loadGatewayConfig } from './config.ts';
import { createGatewayService } from './service.ts';

const config = loadGatewayConfig(process.env);
const logger = createLogger({ name: 'ffgate-gateway', level: config.logLevel });
const metrics = createMetrics({ service: 'gateway' });

const pgliteDir = join(config.dataDir, 'gateway-db');
if (!config.databaseUrl) mkdirSync(pgliteDir, { recursive: true });
const database = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: pgliteDir });
const bus = await connectBus({ natsUrl: config.natsUrl, name: 'ffgate-gateway', logger });
const service = createGatewayService({ config, database, bus, logger, metrics });
await service.start();

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.use(httpMetricsMiddleware(metrics.registry));
app.use(healthRoutes({ ready: () => service.ready(), registry: metrics.registry }));
app.use(service.router);

const server = app.listen(config.port, () => logger.info({ port: config.port }, 'job gateway listening'));

let shuttingDown = false;
async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, 'shutting down');
  // stop intake (SSE streams are closed too), then consumers and relay, then connections
  server.closeIdleConnections();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  await service.stop();
  server.closeAllConnections();
  await closed;
  await bus.close();
  await database.close();
  await shutdownTelemetry().catch(() => undefined);
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
