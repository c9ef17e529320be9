import type { AddressInfo } from 'node:net';
import { createServer, type RequestListener } from 'node:http';
import type { Database } from '@ffgate/db';
import { buildScimApp, createConnectionsRepository, silentLogger, type ScimAppDeps } from '../../src/index.ts';
import { createIdentityStore, migrateScim } from '../../src/store/index.ts';

export const ADMIN_TOKEN = 'admin-secret-for-tests-0123456789';
export const ENV_TOKEN = 'env-scim-token-for-tests-0123456789';
export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface Harness {
  url: string;
  /** token of a connection `okta-<random>` created through the admin API */
  token: string;
  close(): Promise<void>;
  scim(method: string, path: string, options?: RequestOptions): Promise<ScimResponse>;
  admin(method: string, path: string, options?: { body?: unknown; token?: string | null }): Promise<ScimResponse>;
}

export interface RequestOptions {
  body?: unknown;
  /** query parameters, URL-encoded */
  query?: Record<string, string>;
  /** raw body string (sent as is) */
  raw?: string;
  headers?: Record<string, string>;
  /** bearer token; null → no Authorization header; default: the harness token */
  token?: string | null;
  contentType?: string;
}

export interface ScimResponse {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** One HTTP request as an IdP sends it: JSON body, bearer token, the reply's body parsed when it is JSON. */
export async function sendRequest(url: string, method: string, options: RequestOptions, defaultToken: string | null): Promise<ScimResponse> {
  const target = new URL(url);
  for (const [k, v] of Object.entries(options.query ?? {})) target.searchParams.set(k, v);
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  const token = options.token === undefined ? defaultToken : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/scim+json';
  const response = await fetch(target, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

/** `handler` on a real socket at a random local port. */
export async function listen(handler: RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** The SCIM app on a real socket over the given store and connections. */
export async function startApp(deps: ScimAppDeps): Promise<Omit<Harness, 'token'>> {
  const { url, close } = await listen(buildScimApp({ logger: silentLogger, adminToken: ADMIN_TOKEN, ...deps }));
  return {
    url,
    close,
    scim: (method, path, options = {}) => sendRequest(`${url}/scim/v2${path}`, method, options, null),
    admin: (method, path, options = {}) =>
      sendRequest(`${url}/admin/v1${path}`, method, { ...(options.body !== undefined ? { body: options.body } : {}), contentType: 'application/json', token: options.token === undefined ? ADMIN_TOKEN : options.token }, null),
  };
}

/** Real store + connections on a migrated database, and a connection `okta` with its token. */
export async function startOnDatabase(database: Database, overrides: Partial<ScimAppDeps> = {}): Promise<Harness> {
  await migrateScim(database);
  const started = await startApp({
    store: createIdentityStore({ database }),
    connections: createConnectionsRepository(database),
    config: { scimToken: ENV_TOKEN },
    ...overrides,
  });
  // unique per harness: PostgreSQL suites share one database between harnesses
  const name = `okta-${Math.random().toString(36).slice(2, 10)}`;
  const created = await started.admin('POST', '/scim-connections', { body: { name } });
  if (created.status !== 201) {
    await started.close();
    throw new Error(`could not create connection: ${created.status} ${created.text}`);
  }
  const token = created.body.token as string;
  return {
    ...started,
    token,
    scim: (method, path, options = {}) => started.scim(method, path, { ...options, token: options.token === undefined ? token : options.token }),
  };
}

export function user(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: [CORE_USER], userName, name: { givenName: 'Given', familyName: userName }, emails: [{ value: `${userName}@example.com`, type: 'work', primary: true }], active: true, ...extra };
}

/** every key and value of a JSON document, to assert that no `null` and no `password` leaks */
export function deepKeysAndValues(value: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const v of value) deepKeysAndValues(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      deepKeysAndValues(v, out);
    }
  } else out.push(value);
  return out;
}
