import { Router } from 'express';
import type { Bus } from '@ffgate/bus';
import { Streams } from '@ffgate/contracts';
import type { Database } from '@ffgate/db';
import { exposeRelayMetrics, OutboxRelay } from '@ffgate/outbox';
import type { Metrics } from '@ffgate/telemetry';
import { buildAdminRouter } from './admin/index.ts';
import { createConnectionsRepository, type AccessTokenVerifier } from './auth/index.ts';
import { buildScimRouter, type ScimLogger } from './http/index.ts';
import * as leniency from './leniency/index.ts';
import { createIdentityStore, migrateScim, outbox } from './store/index.ts';

export interface ScimServiceConfig {
  adminToken?: string;
  scimToken?: string;
  /** public base URL of the whole system (FFGATE_PUBLIC_URL); SCIM lives at `<publicUrl>/scim/v2` */
  publicUrl?: string;
}

export interface ScimServiceDeps {
  config: ScimServiceConfig;
  database: Database;
  bus: Bus;
  logger: ScimLogger & { debug?(obj: object, msg?: string): void };
  metrics?: Metrics;
  /** skip migrations (tests that migrate once per database) */
  migrate?: boolean;
  /**
   * OAuth access tokens of IdP connections that are token-service clients with scope `scim`
   * (Entra gallery apps): the token service's `verifyScimAccessToken` in the all-in-one, a JWKS
   * verifier (`createJwksScimTokenVerifier`) when distributed.
   */
  accessTokenVerifier?: AccessTokenVerifier;
}

export interface ScimService {
  /** `/scim/v2/*` and `/admin/v1/scim-connections*` — mount at the root */
  readonly router: Router;
  readonly relay: OutboxRelay;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** SCIM readiness depends on the database only: a NATS outage must never stop provisioning */
  ready(): Promise<{ ok: boolean; checks: Record<string, boolean | string> }>;
}

/**
 * The SCIM service: IdPs write users and groups; every write and its identity events commit in
 * one transaction, and the outbox relay publishes them to the IDENTITY stream.
 */
export function createScimService(deps: ScimServiceDeps): ScimService {
  const { config, database, bus, logger } = deps;
  const store = createIdentityStore({ database });
  const connections = createConnectionsRepository(database);
  const relay = new OutboxRelay({ database, table: outbox, bus, logger: relayLogger(logger) });

  const router = Router();
  router.use(
    '/scim/v2',
    buildScimRouter({
      store,
      connections,
      leniency,
      logger,
      ...(deps.accessTokenVerifier ? { accessTokenVerifier: deps.accessTokenVerifier } : {}),
      config: {
        ...(config.scimToken ? { scimToken: config.scimToken } : {}),
        ...(config.publicUrl ? { baseUrl: `${config.publicUrl.replace(/\/$/, '')}/scim/v2` } : {}),
      },
    }),
  );
  // Scoped to its own resource so that, in the all-in-one process, other services' admin routes
  // (/admin/v1/clients, /admin/v1/audit) are not answered by this router's 401/404.
  const admin = buildAdminRouter({ connections, logger, ...(config.adminToken ? { adminToken: config.adminToken } : {}) });
  router.use('/admin/v1', (req, res, next) => (/^\/scim-connections(\/|$)/.test(req.path) ? admin(req, res, next) : next()));

  if (deps.metrics) exposeRelayMetrics(deps.metrics, 'scim', relay);

  let started = false;
  return {
    router,
    relay,
    async start() {
      if (deps.migrate !== false) await migrateScim(database);
      // The stream may not be creatable while NATS is down; the relay retries publishing anyway,
      // so SCIM starts and serves regardless (identity changes wait in the outbox).
      await ensureIdentityStream(bus, logger);
      await relay.start();
      started = true;
    },
    async stop() {
      if (!started) return;
      started = false;
      await relay.stop();
    },
    async ready(): Promise<{ ok: boolean; checks: Record<string, boolean | string> }> {
      try {
        await database.ping();
        return { ok: true, checks: { database: true, outboxLeader: relay.isLeader } };
      } catch {
        return { ok: false, checks: { database: 'unreachable' } };
      }
    },
  };
}

async function ensureIdentityStream(bus: Bus, logger: ScimLogger): Promise<void> {
  try {
    await bus.ensureStream(Streams.identity);
  } catch (err) {
    logger.warn({ err }, 'could not ensure the IDENTITY stream yet; events stay in the outbox until NATS answers');
  }
}

function relayLogger(logger: ScimServiceDeps['logger']) {
  return {
    debug: (obj: object, msg?: string) => logger.debug?.(obj, msg),
    info: (obj: object, msg?: string) => logger.info(obj, msg),
    warn: (obj: object, msg?: string) => logger.warn(obj, msg),
    error: (obj: object, msg?: string) => logger.error(obj, msg),
  };
}
