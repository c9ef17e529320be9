import express, { type Express } from 'express';
import type { Bus } from '@ffgate/bus';
import type { Database } from '@ffgate/db';
import { createGatewayService } from '@ffgate/gateway';
import { createScimService } from '@ffgate/scim';
import { healthRoutes, httpMetricsMiddleware, type Logger, type Metrics } from '@ffgate/telemetry';
import { createTokenService } from '@ffgate/token';
import { createTranscoder, defaultReplicaId, transcoderServiceConfig } from '@ffgate/transcoder';
import type { AllInOneConfig } from './config.ts';

export interface AllInOne {
  readonly app: Express;
  /** the issuer of job credentials (`iss`) */
  readonly issuer: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  ready(): Promise<{ ok: boolean; checks: Record<string, boolean | string> }>;
}

interface Part {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  ready(): Promise<{ ok: boolean; checks: Record<string, boolean | string> }>;
}

/**
 * Every ffgate service in one process behind one Express app and one port. Each service keeps its
 * own PostgreSQL schema and talks to the others only over the bus, exactly as when distributed;
 * only the transports (one database handle, one bus) are shared. `transcoder: false` leaves the
 * workers out (no ffmpeg on the machine): jobs then wait in their queue.
 */
export function composeAllInOne(deps: {
  config: AllInOneConfig;
  database: Database;
  bus: Bus;
  logger: Logger;
  metrics: Metrics;
  transcoder?: boolean;
}): AllInOne {
  const { config, database, bus, logger, metrics } = deps;
  const token = createTokenService({ config, database, bus, logger: logger.child({ service: 'token' }), metrics });
  const issuer = token.issuer;
  const scim = createScimService({
    config: { adminToken: config.adminToken, scimToken: config.scimToken, publicUrl: config.publicUrl },
    database,
    bus,
    logger: logger.child({ service: 'scim' }),
    metrics,
    // in one process the token service answers directly (and sees revocations before expiry)
    accessTokenVerifier: (t) => token.verifyScimAccessToken(t),
  });
  const gateway = createGatewayService({
    // the gateway fetches the JWKS over HTTP from this same process
    config: { ...config, issuer, tokenUrl: config.tokenUrl ?? `http://127.0.0.1:${config.port}` },
    database,
    bus,
    logger: logger.child({ service: 'gateway' }),
    metrics,
  });
  const parts: Part[] = [
    { name: 'token', ...bind(token) },
    { name: 'scim', ...bind(scim) },
    { name: 'gateway', ...bind(gateway) },
  ];
  if (deps.transcoder !== false) {
    const replicaId = config.replicaId ?? defaultReplicaId();
    const transcoder = createTranscoder({
      config: transcoderServiceConfig(config),
      bus,
      logger: logger.child({ service: 'transcoder' }),
      metrics,
      replicaId,
      ackWaitMs: config.jobAckWaitSeconds * 1000,
    });
    parts.push({ name: 'transcoder', ...bind(transcoder) });
  }

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(httpMetricsMiddleware(metrics.registry));
  const ready = async () => {
    const results = await Promise.all(parts.map((p) => p.ready()));
    const checks: Record<string, boolean | string> = {};
    results.forEach((r, i) => {
      for (const [k, v] of Object.entries(r.checks)) checks[`${parts[i].name}.${k}`] = v;
    });
    return { ok: results.every((r) => r.ok), checks };
  };
  app.use(healthRoutes({ ready, registry: metrics.registry }));
  app.use(scim.router);
  app.use(token.router);
  app.use(gateway.router);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'No such endpoint.' });
  });

  let started: Part[] = [];
  return {
    app,
    issuer,
    ready,
    async start() {
      for (const p of parts) {
        await p.start();
        started.push(p);
      }
    },
    async stop() {
      // reverse order of start: workers drain first, the token service goes last
      for (const p of started.reverse()) await p.stop();
      started = [];
    },
  };
}

function bind(s: Pick<Part, 'start' | 'stop' | 'ready'>): Pick<Part, 'start' | 'stop' | 'ready'> {
  return { start: () => s.start(), stop: () => s.stop(), ready: () => s.ready() };
}

