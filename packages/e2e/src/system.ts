import { randomBytes } from 'node:crypto';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, freePort, startNatsServer, waitFor, type NatsServerHandle, type TestDatabase } from '@ffgate/testing';
import { GatewayClient, ScimClient, TokenClient } from './clients.ts';
import { ffmpegUnder } from './ffmpeg-processes.ts';
import { startService, type ServiceProcess } from './service-process.ts';
import { makeTestMedia } from './test-media.ts';

export interface SystemOptions {
  /** the role policy (JSON), given to token service, gateway and transcoders */
  policy: unknown;
  /** transcoder replicas (default 2) */
  replicas?: number;
  /** FFGATE_CONCURRENCY per replica (default 2) */
  concurrency?: number;
  /** FFGATE_JOB_ACK_WAIT_SECONDS (default 3: a SIGKILLed replica's job comes back quickly) */
  ackWaitSeconds?: number;
  /** length of `shared/long.mp4` in seconds (default 120) */
  longSeconds?: number;
  /** also make `shared/ten.mp4` (10 s at 1280x720) */
  tenSecondClip?: boolean;
  logLevel?: string;
}

export interface ProvisionedUser {
  id: string;
  userName: string;
  client: { clientId: string; clientSecret: string };
  /** a fresh job credential */
  token: string;
}

/**
 * A real distributed ffgate: a private nats-server, a fresh PostgreSQL database, and the SCIM
 * service, token service, gateway and transcoder replicas as separate OS processes.
 */
export class DistributedSystem {
  readonly adminToken = `admin-${randomBytes(16).toString('hex')}`;
  readonly scimToken = `scim-${randomBytes(16).toString('hex')}`;
  readonly mediaRoot: string;
  readonly #tmp: string;
  nats!: NatsServerHandle;
  database!: TestDatabase;
  scimService!: ServiceProcess;
  tokenService!: ServiceProcess;
  gatewayService!: ServiceProcess;
  replicas: ServiceProcess[] = [];
  scim!: ScimClient;
  tokens!: TokenClient;
  gateway!: GatewayClient;
  readonly #options: SystemOptions;
  #replicaEnv!: (i: number) => Record<string, string>;

  private constructor(options: SystemOptions) {
    this.#options = options;
    this.#tmp = realpathSync(mkdtempSync(join(tmpdir(), 'ffgate-e2e-')));
    this.mediaRoot = join(this.#tmp, 'media');
  }

  static async start(options: SystemOptions): Promise<DistributedSystem> {
    const system = new DistributedSystem(options);
    try {
      await system.#start();
    } catch (err) {
      await system.stop().catch(() => undefined);
      throw err;
    }
    return system;
  }

  async #start(): Promise<void> {
    const o = this.#options;
    makeTestMedia(this.mediaRoot, { longSeconds: o.longSeconds, ten: o.tenSecondClip });
    const policyFile = join(this.#tmp, 'policy.json');
    writeFileSync(policyFile, JSON.stringify(o.policy));
    [this.nats, this.database] = await Promise.all([startNatsServer(), createTestDatabase('e2e')]);
    const [scimPort, tokenPort, gatewayPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const tokenUrl = `http://127.0.0.1:${tokenPort}`;
    const common = (name: string) => ({
      NATS_URL: this.nats.url,
      FFGATE_DATA_DIR: join(this.#tmp, `data-${name}`),
      FFGATE_ADMIN_TOKEN: this.adminToken,
      FFGATE_POLICY: policyFile,
      LOG_LEVEL: o.logLevel ?? 'info',
    });
    const withDb = { DATABASE_URL: this.database.url };
    [this.scimService, this.tokenService] = await Promise.all([
      startService('scim', 'services/scim', scimPort, { ...common('scim'), ...withDb, FFGATE_SCIM_TOKEN: this.scimToken }),
      startService('token', 'services/token', tokenPort, {
        ...common('token'),
        ...withDb,
        FFGATE_ISSUER: tokenUrl,
        FFGATE_KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      }),
    ]);
    this.#replicaEnv = (i: number) => ({
      ...common(`transcoder-${i}`),
      FFGATE_MEDIA_ROOT: this.mediaRoot,
      FFGATE_CONCURRENCY: String(o.concurrency ?? 2),
      FFGATE_JOB_ACK_WAIT_SECONDS: String(o.ackWaitSeconds ?? 3),
      FFGATE_REPLICA_ID: `replica-${i}`,
      FFGATE_ISSUER: tokenUrl,
      FFGATE_TOKEN_URL: tokenUrl,
    });
    const replicaCount = o.replicas ?? 2;
    const [gateway, ...replicas] = await Promise.all([
      startService('gateway', 'services/gateway', gatewayPort, {
        ...common('gateway'),
        ...withDb,
        FFGATE_MEDIA_ROOT: this.mediaRoot,
        FFGATE_ISSUER: tokenUrl,
        FFGATE_TOKEN_URL: tokenUrl,
      }),
      ...Array.from({ length: replicaCount }, async (_, i) => startService(`transcoder-${i}`, 'services/transcoder', await freePort(), this.#replicaEnv(i))),
    ]);
    this.gatewayService = gateway;
    this.replicas = replicas;
    this.scim = new ScimClient(this.scimService.url, this.scimToken);
    this.tokens = new TokenClient(this.tokenService.url, this.adminToken);
    this.gateway = new GatewayClient(this.gatewayService.url, this.adminToken);
  }

  /** Start replica `i` again (after a kill), same configuration. */
  async restartReplica(i: number): Promise<ServiceProcess> {
    const replica = await startService(`transcoder-${i}`, 'services/transcoder', await freePort(), this.#replicaEnv(i));
    this.replicas[i] = replica;
    return replica;
  }

  /**
   * The IdP provisions a user in `department`, an admin creates a pipeline client bound to it, and
   * the client mints a job credential; waits until the gateway knows the user.
   */
  async provisionUser(department: string): Promise<ProvisionedUser> {
    const { id, userName } = await this.scim.createUser(department);
    const client = await waitFor(() => this.tokens.createClient(userName).catch(() => undefined), { timeoutMs: 15_000, intervalMs: 50, message: `token service never learnt ${userName}` });
    const token = await this.mint(client);
    // the gateway's projection: a job listing answers once the credential verifies and the user is known
    await waitFor(async () => (await this.gateway.call('GET', '/v1/jobs', { token })).status === 200, { timeoutMs: 15_000, intervalMs: 50 });
    return { id, userName, client, token };
  }

  async mint(client: { clientId: string; clientSecret: string }): Promise<string> {
    const res = await this.tokens.mint(client);
    if (res.status !== 200) throw new Error(`mint: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.access_token as string;
  }

  /** The logs of every service (for failure messages). */
  logs(lines = 40): string {
    const all = [this.scimService, this.tokenService, this.gatewayService, ...this.replicas].filter(Boolean);
    return all.map((s) => `--- ${s.name}\n${s.log().split('\n').slice(-lines).join('\n')}`).join('\n');
  }

  /** SIGTERM everything (SIGKILL after a bound), then the database, NATS and the temp folder; returns ffmpeg processes left behind. */
  async stop(): Promise<number[]> {
    const services = [...this.replicas, this.gatewayService, this.tokenService, this.scimService].filter(Boolean);
    await Promise.all(services.map((s) => s.stop(15_000)));
    const leftover = ffmpegUnder(this.mediaRoot).map((p) => p.pid);
    for (const pid of leftover) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await this.database?.drop().catch(() => undefined);
    await this.nats?.cleanup().catch(() => undefined);
    rmSync(this.#tmp, { recursive: true, force: true });
    return leftover;
  }
}
