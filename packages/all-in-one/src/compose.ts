import express, { type Express } from 'express';
import type { Bus } from '@ffgate/bus';
import type { Database } from '@ffgate/db';
import { createScimService } from '@ffgate/scim';
import { healthRoutes, httpMetricsMiddleware, type Logger, type Metrics } from '@ffgate/telemetry';
import { createTokenService } from '@ffgate/token';
import type { AllInOneConfig } from './config.ts';

export interface AllInOne {
  readonly app: Express;
  start(): Promise<void>;
  stop(): Promise<void>;
  ready(): Promise<{ ok: boolean; checks: Record<string, boolean | string> }>;
}

/**
 * Every ffgate service in one process behind one Express app and one port. Each service keeps its
 * own PostgreSQL schema and talks to the others only over the bus, exactly as when distributed;
 * only the transport (one database handle, one bus) is shared.
 */
export function composeAllInOne(deps: { config: AllInOneConfig; database: Database; bus: Bus; logger: Logger; metrics: Metrics }): AllInOne {
  const { config, database, bus, logger, metrics } = deps;
  const scim = createScimService({
    config: { adminToken: config.adminToken, scimToken: config.scimToken, publicUrl: config.publicUrl },
    database,
    bus,
    logger: logger.child({ service: 'scim' }),
    metrics,
  });
  const token = createTokenService({ config, database, bus, logger: logger.child({ service: 'token' }), metrics });
  const services = [scim, token];

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(httpMetricsMiddleware(metrics.registry));
  const ready = async () => {
    const results = await Promise.all(services.map((s) => s.ready()));
    const names = ['scim', 'token'];
    const checks: Record<string, boolean | string> = {};
    results.forEach((r, i) => {
      for (const [k, v] of Object.entries(r.checks)) checks[`${names[i]}.${k}`] = v;
    });
    return { ok: results.every((r) => r.ok), checks };
  };
  app.use(healthRoutes({ ready, registry: metrics.registry }));
  app.use(scim.router);
  app.use(token.router);

  let started: typeof services = [];
  return {
    app,
    ready,
    async start() {
      for (const s of services) {
        await s.start();
        started.push(s);
      }
    },
    async stop() {
      // reverse order of start
      for (const s of started.reverse()) await s.stop();
      started = [];
    },
  };
}
