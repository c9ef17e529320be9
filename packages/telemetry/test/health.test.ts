import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import express from 'express';
import type { Server } from 'node:http';
import { createMetrics, healthRoutes, httpMetricsMiddleware } from '@ffgate/telemetry';
import type { ReadinessResult } from '@ffgate/telemetry';

describe('healthRoutes and httpMetricsMiddleware over real HTTP', () => {
  let server: Server;
  let base: string;
  let readiness: ReadinessResult | Error = { ok: true, checks: { database: true, nats: true } };
  let live = true;

  beforeAll(async () => {
    const metrics = createMetrics({ service: 'health-test' });
    const app = express();
    app.use(httpMetricsMiddleware(metrics.registry));
    app.use(
      healthRoutes({
        live: () => live,
        ready: async () => {
          if (readiness instanceof Error) throw readiness;
          return readiness;
        },
        registry: metrics.registry,
      }),
    );
    // mounted the way services mount their APIs (`/scim/v2`), to check the label is the full pattern
    const api = express.Router();
    api.get('/things/:id', (_req, res) => void res.json({ ok: true }));
    app.use('/api', api);
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  test('GET /healthz is 200 while live and 503 when not', async () => {
    const ok = await fetch(`${base}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ok' });
    live = false;
    const dead = await fetch(`${base}/healthz`);
    live = true;
    expect(dead.status).toBe(503);
  });

  test('GET /readyz reports the checks with 200 or 503', async () => {
    readiness = { ok: true, checks: { database: true, nats: true } };
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', checks: { database: true, nats: true } });

    readiness = { ok: false, checks: { database: true, nats: 'connection refused' } };
    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: 'unavailable', checks: { database: true, nats: 'connection refused' } });
  });

  test('a throwing readiness check is a 503 without internals', async () => {
    readiness = new Error('password authentication failed for user "secret"');
    const response = await fetch(`${base}/readyz`);
    const body = await response.text();
    expect(response.status).toBe(503);
    expect(body).not.toContain('password');
  });

  test('GET /metrics serves Prometheus text with request metrics by route pattern', async () => {
    await fetch(`${base}/api/things/1`);
    await fetch(`${base}/api/things/2`);
    await fetch(`${base}/nowhere`);
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/api\/things\/:id",status="200",service="health-test"\} 2/);
    expect(text).toMatch(/http_requests_total\{method="GET",route="unmatched",status="404",service="health-test"\} 1/);
    expect(text).toContain('http_request_duration_seconds_bucket');
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).not.toContain('/api/things/1');
  });
});
