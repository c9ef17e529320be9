import { Router, type NextFunction, type Request, type Response } from 'express';
import { BusError, type Bus, type Subscription } from '@ffgate/bus';
import { AuditStream, IdentityEvent, Streams, TokensStream } from '@ffgate/contracts';
import type { Database } from '@ffgate/db';
import { OutboxRelay } from '@ffgate/outbox';
import { openPolicy, type Policy, type PolicyWatcher } from '@ffgate/policy';
import type { Metrics } from '@ffgate/telemetry';
import { FailureLimiter, type FailureLimiterOptions } from './clients/rate-limit.ts';
import { createClientsRepository } from './clients/repository.ts';
import { issuerOf, type TokenConfig } from './config.ts';
import { createIssuer } from './credentials/issue.ts';
import { createOwnTokenReader } from './credentials/own-tokens.ts';
import { purgeExpiredCredentials } from './credentials/purge.ts';
import { deriveKeys } from './crypto/kek.ts';
import { resolveKeyEncryptionKey } from './crypto/resolve-kek.ts';
import { OAuthError } from './errors.ts';
import { createSubjectTokenVerifier, parseTrustedIssuers } from './exchange/trusted-issuers.ts';
import { createAdminAuth } from './http/admin-auth.ts';
import { buildAdminClientsRouter } from './http/admin-router.ts';
import { createClientAuthenticator } from './http/client-auth.ts';
import { sendOAuthError } from './http/errors.ts';
import { buildOAuthRouter } from './http/oauth-router.ts';
import { buildWellKnownRouter } from './http/well-known-router.ts';
import { SigningKeyRing } from './keys/signing-keys.ts';
import { applyIdentityEvent, reevaluateUsers } from './projection/apply.ts';
import { announceRevocationEarly } from './revocation/early.ts';
import { migrateToken } from './store/migrations.ts';
import { outbox } from './store/schema.ts';

export interface ServiceLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export type TokenServiceConfig = Pick<
  TokenConfig,
  'issuer' | 'publicUrl' | 'port' | 'keyEncryptionKey' | 'policy' | 'tokenTtlSeconds' | 'trustedIssuers' | 'adminToken' | 'nodeEnv' | 'dataDir'
> & { keyRotationDays?: number };

export interface TokenServiceDeps {
  config: TokenServiceConfig;
  database: Database;
  bus: Bus;
  logger: ServiceLogger;
  metrics?: Metrics;
  /** durable consumer name of the identity projection (default `token-projection`) */
  projectionDurable?: string;
  /** failed client authentications allowed per window: per client id (default 10/min) and per source IP (default 100/min) */
  rateLimit?: { perClient?: FailureLimiterOptions; perIp?: FailureLimiterOptions };
  /** announce deactivations on the bus before the projection's transaction (default true; see revocation/early.ts) */
  earlyRevocation?: boolean;
  /** how often expired credentials are deleted (default 5 min; the audit trail keeps them) */
  purgeIntervalMs?: number;
  /** skip migrations (the all-in-one process may run them itself) */
  migrate?: boolean;
  now?: () => number;
}

export interface TokenService {
  /** `/oauth2/*`, `/.well-known/*`, `/admin/v1/clients*` — mount at the root */
  readonly router: Router;
  readonly issuer: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  ready(): Promise<{ ok: boolean; checks: Record<string, boolean | string> }>;
  /** for the SCIM API: an IdP connection's OAuth access token → its connection, or null */
  verifyScimAccessToken(token: string): Promise<{ id: string; name: string } | null>;
  /** retire the signing key and start using a new one; returns the new kid */
  rotateSigningKey(): Promise<string>;
  /** re-read FFGATE_POLICY now (it is also watched); resolves with the policy in force */
  reloadPolicy(): Promise<Policy>;
}

/**
 * The token service (see README): a projection of SCIM users from IDENTITY, the OAuth endpoints
 * minting job credentials for active users, and the revocations that follow deprovisioning,
 * published on TOKENS through the outbox.
 */
export function createTokenService(deps: TokenServiceDeps): TokenService {
  const { config, database, bus, logger } = deps;
  const now = deps.now ?? Date.now;
  const issuer = issuerOf(config);
  const derived = deriveKeys(resolveKeyEncryptionKey(config, logger));
  const keys = new SigningKeyRing({
    db: database.db,
    keys: derived,
    maxTokenTtlSeconds: config.tokenTtlSeconds,
    rotateAfterMs: (config.keyRotationDays ?? 30) * 24 * 3600_000,
    now,
  });
  const subjectTokens = createSubjectTokenVerifier(parseTrustedIssuers(config.trustedIssuers));
  let watcher: PolicyWatcher | undefined;
  const currentPolicy = () => {
    if (!watcher) throw new OAuthError('server_error', 'the token service is not started', { status: 503 });
    return watcher.current;
  };
  const clients = createClientsRepository(database.db, derived, now);
  const adminAuth = createAdminAuth(config.adminToken);
  const authenticateClient = createClientAuthenticator(clients, {
    perClient: new FailureLimiter({ maxFailures: 10, now, ...deps.rateLimit?.perClient }),
    perIp: new FailureLimiter({ maxFailures: 100, now, ...deps.rateLimit?.perIp }),
  });
  const issuerImpl = createIssuer({ db: database.db, keys, policy: currentPolicy, issuer, ttlSeconds: config.tokenTtlSeconds, now });
  const reader = createOwnTokenReader({ db: database.db, keys, issuer, now });
  const relay = new OutboxRelay({ database, table: outbox, bus, logger });

  const issuedTotal = deps.metrics?.counter({ name: 'ffgate_token_issued_total', help: 'Credentials issued', labelNames: ['grant'] });
  const projected = deps.metrics?.counter({ name: 'ffgate_token_projection_events_total', help: 'Identity events seen by the projection', labelNames: ['result'] });

  let started = false;
  let stopping = false;
  let projection: Subscription | undefined;
  let purgeTimer: NodeJS.Timeout | undefined;

  const router = Router();
  router.use((_req: Request, res: Response, next: NextFunction) => {
    if (started && !stopping) return next();
    sendOAuthError(res, new OAuthError('server_error', 'the token service is not ready', { status: 503 }));
  });
  router.use(
    '/oauth2',
    buildOAuthRouter({ db: database.db, issuer: issuerImpl, reader, authenticateClient, adminAuth, subjectTokens, logger, now, onIssued: (grant) => issuedTotal?.inc({ grant }) }),
  );
  router.use('/.well-known', buildWellKnownRouter({ keys, issuer }));
  router.use('/admin/v1/clients', buildAdminClientsRouter({ db: database.db, clients, adminAuth, logger }));

  async function onPolicyChange(next: Policy): Promise<void> {
    logger.info({ digest: next.digest }, 'role policy reloaded; re-evaluating users');
    try {
      const r = await reevaluateUsers({ db: database.db, policy: currentPolicy, now }, next);
      logger.info(r, 'users re-evaluated under the new policy');
    } catch (err) {
      logger.error({ err }, 're-evaluating users under the new policy failed');
    }
  }

  async function startPolicy(): Promise<void> {
    watcher = await openPolicy(config.policy, {
      onChange: (p) => void onPolicyChange(p),
      onError: (err) => logger.error({ err }, 'policy change rejected; the previous policy stays in force'),
    });
    logger.info({ digest: watcher.current.digest, source: config.policy ?? '(default)' }, 'role policy loaded');
  }

  async function startProjection(): Promise<Subscription> {
    const options = { stream: Streams.identity.name, durable: deps.projectionDurable ?? 'token-projection', deliver: 'all' as const, filterSubject: 'identity.user.>' };
    const handler = async (delivery: { event: unknown }) => {
      const event = IdentityEvent.parse(delivery.event);
      if (deps.earlyRevocation !== false) {
        // not awaited: a slow or failing publish must not hold up the transaction that makes the
        // revocation durable (mints refused, introspection inactive, the outbox event)
        void announceRevocationEarly({ db: database.db, bus, now, onError: (err) => logger.warn({ err }, 'early revocation announcement failed; the outbox delivers it') }, event);
      }
      const result = await applyIdentityEvent({ db: database.db, policy: currentPolicy, now }, event);
      projected?.inc({ result });
      return { kind: 'ack' as const };
    };
    try {
      return await bus.consume(options, handler);
    } catch (err) {
      if (!(err instanceof BusError) || err.code !== 'FFGATE_BUS_NO_STREAM') throw err;
      // started before the SCIM service ever ran: create IDENTITY as SCIM would, then consume
      await bus.ensureStream({ ...Streams.identity, retention: 'limits' });
      return bus.consume(options, handler);
    }
  }

  return {
    router,
    issuer,
    async start() {
      if (started) return;
      if (deps.migrate !== false) await migrateToken(database);
      await startPolicy();
      await keys.init();
      await bus.ensureStream({ ...TokensStream, retention: 'limits' });
      // the shared audit trail (credential issue/revoke, client changes) goes out through the outbox
      await bus.ensureStream(AuditStream);
      await relay.start();
      projection = await startProjection();
      purgeTimer = setInterval(() => {
        purgeExpiredCredentials(database.db, now()).then(
          (n) => n > 0 && logger.debug({ purged: n }, 'expired credentials purged'),
          (err: unknown) => logger.warn({ err }, 'purging expired credentials failed'),
        );
      }, deps.purgeIntervalMs ?? 300_000);
      purgeTimer.unref();
      started = true;
      logger.info({ issuer }, 'token service started');
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      clearInterval(purgeTimer);
      watcher?.close();
      await projection?.stop();
      await relay.stop();
    },
    async ready() {
      const checks: Record<string, boolean | string> = { started };
      try {
        await database.ping();
        checks.database = true;
      } catch {
        checks.database = false;
      }
      checks.bus = bus.isConnected();
      return { ok: started && !stopping && checks.database === true && checks.bus === true, checks };
    },
    verifyScimAccessToken: (token) => reader.verifyScimAccessToken(token),
    rotateSigningKey: async () => {
      const kid = await keys.rotate();
      logger.info({ kid }, 'signing key rotated');
      return kid;
    },
    async reloadPolicy() {
      return watcher ? watcher.reload() : currentPolicy();
    },
  };
}
