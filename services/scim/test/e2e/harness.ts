import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { sql } from 'drizzle-orm';
import type { Bus } from '@ffgate/bus';
import { createMemoryBus, silentLogger as silentBusLogger } from '@ffgate/bus';
import { Streams } from '@ffgate/contracts';
import type { Database } from '@ffgate/db';
import { waitFor } from '@ffgate/testing';
import { createScimService, silentLogger, type ScimService } from '../../src/index.ts';
import { fillIds, type IdpRequest } from '../leniency/idp-fixtures.ts';

export const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SCIM_JSON = 'application/scim+json; charset=utf-8';

export interface IdentityEvent {
  id: string;
  type: string;
  resourceId: string;
  version: number;
  actor: string | null;
  data: Record<string, unknown>;
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface SendOptions {
  body?: unknown;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** null → no Authorization header */
  token?: string | null;
}

/**
 * The whole SCIM service as an IdP sees it: `createScimService` (real IdentityStore, leniency,
 * outbox relay) on a real socket, publishing to a bus whose IDENTITY stream this harness reads.
 */
export interface E2E {
  url: string;
  token: string;
  connectionName: string;
  service: ScimService;
  /** every identity event received from the bus, in stream order */
  events: IdentityEvent[];
  send(method: string, path: string, options?: SendOptions): Promise<Reply>;
  /** replay an IdP fixture with `{{placeholders}}` filled from `ids` */
  replay(request: IdpRequest, ids?: Record<string, string>): Promise<Reply>;
  /** waits until an event matching `match` arrived */
  waitForEvent(match: (event: IdentityEvent) => boolean, message?: string): Promise<IdentityEvent>;
  /** waits until the outbox is drained into the bus (and, when subscribed, every event received) */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function startE2E(database: Database, options: { bus?: Bus; name?: string; /** read the IDENTITY stream into `events` (default true) */ subscribe?: boolean } = {}): Promise<E2E> {
  const bus = options.bus ?? createMemoryBus({ logger: silentBusLogger });
  const service = createScimService({ config: { adminToken: ADMIN_TOKEN }, database, bus, logger: silentLogger });
  await service.start();

  const app = express();
  app.set('etag', false);
  app.use(service.router);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const events: IdentityEvent[] = [];
  const subscription =
    options.subscribe === false
      ? undefined
      : await bus.consume<IdentityEvent>({ stream: Streams.identity.name, deliver: 'all' }, async (delivery) => {
          events.push(delivery.event);
          return { kind: 'ack' };
        });

  const connectionName = options.name ?? `idp-${Math.random().toString(36).slice(2, 10)}`;
  const created = await call(`${url}/admin/v1/scim-connections`, 'POST', { body: { name: connectionName }, token: ADMIN_TOKEN }, 'application/json');
  if (created.status !== 201) throw new Error(`could not create connection: ${created.status} ${created.text}`);
  const token = created.body.token as string;

  const send = (method: string, path: string, o: SendOptions = {}) =>
    call(`${url}/scim/v2${path}`, method, { ...o, token: o.token === undefined ? token : o.token }, 'application/scim+json');

  return {
    url,
    token,
    connectionName,
    service,
    events,
    send,
    replay(request, ids = {}) {
      const filled = fillIds(request, ids);
      return send(filled.method, filled.path, {
        ...(filled.body !== undefined ? { body: filled.body } : {}),
        ...(filled.query ? { query: filled.query } : {}),
        ...(filled.headers ? { headers: filled.headers } : {}),
      });
    },
    waitForEvent(match, message) {
      return waitFor(() => events.find(match), { timeoutMs: 15_000, message: message ?? 'identity event not received' });
    },
    async settle() {
      await waitFor(async () => (await pendingOutbox(database)) === 0, { timeoutMs: 15_000, message: 'outbox not drained' });
      if (!subscription) return;
      // the relay marks rows published after the bus acked; the consumer may still be handing them over
      const expected = await publishedCount(database);
      await waitFor(() => events.length >= expected, { timeoutMs: 15_000, message: `expected ${expected} events, got ${events.length}` });
    },
    async close() {
      await subscription?.stop();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await service.stop();
      if (!options.bus) await bus.close();
    },
  };
}

async function countOf(database: Database, query: ReturnType<typeof sql>): Promise<number> {
  const result = (await database.db.execute(query)) as unknown as { rows: Array<{ n: number }> };
  return Number(result.rows[0]!.n);
}

const pendingOutbox = (database: Database) => countOf(database, sql`select count(*)::int as n from scim.outbox where sent_at is null`);
const publishedCount = (database: Database) => countOf(database, sql`select count(*)::int as n from scim.outbox`);

async function call(url: string, method: string, o: SendOptions, contentType: string): Promise<Reply> {
  const target = new URL(url);
  for (const [k, v] of Object.entries(o.query ?? {})) target.searchParams.set(k, v);
  const headers: Record<string, string> = { ...(o.headers ?? {}) };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  const body = o.body === undefined ? undefined : JSON.stringify(o.body);
  if (body !== undefined) headers['content-type'] = contentType;
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

/** no `null` anywhere in a response body (Entra and OneLogin choke on them) */
export function containsNull(value: unknown): boolean {
  if (value === null) return true;
  if (Array.isArray(value)) return value.some(containsNull);
  if (typeof value === 'object' && value !== undefined) return Object.values(value as object).some(containsNull);
  return false;
}
