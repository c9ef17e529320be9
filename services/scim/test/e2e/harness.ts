import express from 'express';
import { sql } from 'drizzle-orm';
import type { Bus } from '@ffgate/bus';
import { createMemoryBus, silentLogger as silentBusLogger } from '@ffgate/bus';
import { Streams } from '@ffgate/contracts';
import type { Database } from '@ffgate/db';
import { waitFor } from '@ffgate/testing';
import { createScimService, silentLogger, type ScimService } from '../../src/index.ts';
import { listen, sendRequest, type RequestOptions, type ScimResponse } from '../http/harness.ts';
import { fillIds, type IdpRequest } from '../leniency/idp-fixtures.ts';

export { containsNull } from '../leniency/scimmy-check.ts';

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

export type Reply = ScimResponse;
export type SendOptions = Pick<RequestOptions, 'body' | 'query' | 'headers' | 'token'>;

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
  const server = await listen(app);
  const url = server.url;

  const events: IdentityEvent[] = [];
  const subscription =
    options.subscribe === false
      ? undefined
      : await bus.consume<IdentityEvent>({ stream: Streams.identity.name, deliver: 'all' }, async (delivery) => {
          events.push(delivery.event);
          return { kind: 'ack' };
        });

  const connectionName = options.name ?? `idp-${Math.random().toString(36).slice(2, 10)}`;
  const created = await sendRequest(`${url}/admin/v1/scim-connections`, 'POST', { body: { name: connectionName }, contentType: 'application/json' }, ADMIN_TOKEN);
  if (created.status !== 201) throw new Error(`could not create connection: ${created.status} ${created.text}`);
  const token = created.body.token as string;

  const send = (method: string, path: string, o: SendOptions = {}) => sendRequest(`${url}/scim/v2${path}`, method, o, token);

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
      await server.close();
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
