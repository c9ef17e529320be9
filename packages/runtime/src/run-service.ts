import type { Server } from 'node:http';
import express, { type Express, type Router } from 'express';
import { connectBus, type Bus } from '@ffgate/bus';
import { ConfigError } from '@ffgate/config';
import { openDatabase, type Database } from '@ffgate/db';
import { createLogger, createMetrics, healthRoutes, httpMetricsMiddleware, shutdownTelemetry, type Logger, type Metrics } from '@ffgate/telemetry';

/** What every service's composition root hands to the host. */
export interface HostedService {
  /** mounted at the root behind `/healthz`, `/readyz`, `/metrics` (ignored when `app` is given) */
  readonly router?: Router;
  /** a complete app (the all-in-one builds its own) */
  readonly app?: Express;
  start(): Promise<void>;
  /** drain and stop; idempotent */
  stop(): Promise<void>;
  ready(): Promise<{ ok: boolean; checks: Record<string, boolean | string> }>;
}

export interface CommonRuntimeConfig {
  port: number;
  logLevel: string;
  databaseUrl?: string;
  natsUrl?: string;
}

export interface RunServiceOptions<C extends CommonRuntimeConfig, S extends HostedService> {
  /** logger name and metrics `service` label, e.g. `scim` */
  name: string;
  loadConfig(env: NodeJS.ProcessEnv): C;
  /** PGlite directory when DATABASE_URL is unset; omit for services without a database */
  embeddedDatabaseDir?(config: C): string;
  /** NATS connection name (default `ffgate-<name>`) */
  busName?(config: C): string;
  /** in-process bus only: persist it here */
  embeddedBusDir?(config: C): string;
  build(deps: { config: C; logger: Logger; metrics: Metrics; database?: Database; bus: Bus }): S | Promise<S>;
  /** serve health and metrics while `start()` runs (transcoders: readiness waits for the replay) */
  listenBeforeStart?: boolean;
  onListening?(service: S, config: C): void;
}

/**
 * The process around one composition root — the only place that reads process.env and handles
 * signals: validated config (every problem at once, exit 2), logger and metrics, database and bus
 * for the configured shape, HTTP with health routes, and an ordered, idempotent shutdown on
 * SIGTERM/SIGINT (stop intake, stop the service, close connections, flush telemetry, exit 0).
 */
export async function runService<C extends CommonRuntimeConfig, S extends HostedService>(options: RunServiceOptions<C, S>): Promise<void> {
  let config: C;
  try {
    config = options.loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
  const logger = createLogger({ name: `ffgate-${options.name}`, level: config.logLevel });
  const metrics = createMetrics({ service: options.name });
  const database = await openServiceDatabase(config, options.embeddedDatabaseDir);
  const persistDir = !config.natsUrl && options.embeddedBusDir ? options.embeddedBusDir(config) : undefined;
  const bus = await connectBus({ natsUrl: config.natsUrl, name: options.busName?.(config) ?? `ffgate-${options.name}`, logger, ...(persistDir ? { persistDir } : {}) });
  const service = await options.build({ config, logger, metrics, bus, ...(database ? { database } : {}) });
  const app = service.app ?? hostApp(service, metrics);

  let server: Server | undefined;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = app.listen(config.port, () => {
        logger.info({ port: config.port }, `${options.name} listening`);
        resolve();
      });
    });
  if (options.listenBeforeStart) await listen();
  await service.start();
  if (!options.listenBeforeStart) await listen();
  options.onListening?.(service, config);

  let shuttingDown = false;
  async function shutdown(signal: string): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    // stop intake; long-lived responses (SSE) end when the service stops
    const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server?.closeIdleConnections();
    await service.stop();
    server?.closeAllConnections();
    await closed;
    await bus.close();
    await database?.close();
    await shutdownTelemetry().catch(() => undefined);
    process.exit(0);
  }
  // `on`, not `once`: execa's exit cleanup (signal-exit) re-raises a signal that no other listener
  // handles any more, which would kill the process in the middle of its drain
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

function openServiceDatabase<C extends CommonRuntimeConfig>(config: C, embeddedDir: ((config: C) => string) | undefined): Promise<Database> | undefined {
  if (config.databaseUrl) return openDatabase({ url: config.databaseUrl });
  // @ffgate/db creates the PGlite directory when it is missing
  return embeddedDir ? openDatabase({ dataDir: embeddedDir(config) }) : undefined;
}

/** One service behind the standard health, readiness and metrics routes. */
export function hostApp(service: Pick<HostedService, 'router' | 'ready'>, metrics: Metrics): Express {
  const app = express();
  app.disable('x-powered-by');
  // ETags are the services' own (SCIM meta.version); Express's body hashes would contradict them
  app.set('etag', false);
  app.use(httpMetricsMiddleware(metrics.registry));
  app.use(healthRoutes({ ready: () => service.ready(), registry: metrics.registry }));
  if (service.router) app.use(service.router);
  return app;
}
