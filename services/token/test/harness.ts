import type { AddressInfo } from 'node:net';
import express from 'express';
import { silentLogger, type Bus } from '@ffgate/bus';
import { blankUserState, type UserState } from '@ffgate/contracts';
import type { Database } from '@ffgate/db';
import { FakeIdp as SharedFakeIdp } from '@ffgate/testing';
import { createTokenService, type TokenService, type TokenServiceConfig, type TokenServiceDeps } from '../src/index.ts';

export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
export const KEK = 'test-key-encryption-key-0123456789abcdef';

export function userState(id: string, overrides: Partial<UserState> = {}): UserState {
  return blankUserState({
    id,
    userName: `${id}@example.com`,
    externalId: `ext-${id}`,
    displayName: `User ${id}`,
    emails: [{ value: `${id}@mail.example.com`, primary: true, type: 'work' }],
    ...overrides,
  });
}

/**
 * Publishes identity events exactly as the SCIM service's outbox does (subject
 * `identity.user.<change>.<id>`, per-resource versions growing by one, the full state); users
 * created here carry an externalId, a display name and a work email.
 */
export class FakeIdp extends SharedFakeIdp {
  constructor(bus: Bus) {
    super(bus, { user: userState });
  }
}

export interface RunningService {
  service: TokenService;
  url: string;
  close(): Promise<void>;
}

export function testConfig(overrides: Partial<TokenServiceConfig> = {}): TokenServiceConfig {
  return {
    issuer: 'http://token.ffgate.test',
    publicUrl: undefined,
    port: 0,
    keyEncryptionKey: KEK,
    policy: undefined,
    tokenTtlSeconds: 600,
    trustedIssuers: undefined,
    adminToken: ADMIN_TOKEN,
    nodeEnv: 'test',
    dataDir: '/nonexistent',
    ...overrides,
  };
}

/** The service behind a real HTTP listener on a random port. */
export async function runService(deps: { database: Database; bus: Bus } & Partial<Omit<TokenServiceDeps, 'config'>> & { config?: Partial<TokenServiceConfig> }): Promise<RunningService> {
  const service = createTokenService({ logger: silentLogger, ...deps, config: testConfig(deps.config) });
  await service.start();
  const app = express();
  app.use(service.router);
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closed: Promise<void> | undefined;
  return {
    service,
    url,
    close: () =>
      (closed ??= (async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await service.stop();
      })()),
  };
}

export const form = (params: Record<string, string>) => new URLSearchParams(params).toString();
export const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** POST a form; returns status, JSON body (or text) and headers. */
export async function postForm(url: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: form(params) });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (revoke answers an empty body)
  }
  return { status: res.status, body, headers: res.headers };
}

export async function admin(url: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}/admin/v1/clients${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Create a client for a user through the admin API; returns id and secret. */
export async function createClient(url: string, user: { userName?: string; userId?: string; scope?: 'scim' }, name = 'pipeline'): Promise<{ id: string; secret: string }> {
  const r = await admin(url, 'POST', '', { name, ...user });
  if (r.status !== 201) throw new Error(`client creation failed: ${r.status} ${JSON.stringify(r.body)}`);
  return { id: r.body.client_id, secret: r.body.client_secret };
}

/** client_credentials mint; returns the response */
export function mint(url: string, client: { id: string; secret: string }, extra: Record<string, string> = {}) {
  return postForm(`${url}/oauth2/token`, { grant_type: 'client_credentials', ...extra }, { authorization: basic(client.id, client.secret) });
}

export function introspect(url: string, token: string) {
  return postForm(`${url}/oauth2/introspect`, { token }, { authorization: `Bearer ${ADMIN_TOKEN}` });
}

export function decodePayload(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}

/** Wait until the projection has applied `version` of user `id`. */
export async function projected(database: Database, id: string, version: number): Promise<void> {
  const { waitFor } = await import('@ffgate/testing');
  const { sql } = await import('drizzle-orm');
  await waitFor(
    async () => {
      const r = await database.db.execute(sql`select version from "token"."users" where id = ${id}`);
      const rows = (r as unknown as { rows: { version: number }[] }).rows;
      return rows[0] !== undefined && rows[0].version >= version;
    },
    { message: `user ${id} projected at version ${version}` },
  );
}
