import { Router } from 'express';
import type { Registry } from 'prom-client';
import { metricsHandler } from './metrics.ts';

export interface ReadinessResult {
  ok: boolean;
  checks: Record<string, boolean | string>;
}

export interface HealthRoutesOptions {
  /** Liveness: false means "restart me". Defaults to always live. */
  live?: () => boolean;
  /** Readiness: can this instance take traffic (database, NATS reachable …)? */
  ready: () => Promise<ReadinessResult>;
  registry: Registry;
  /** A readiness check slower than this counts as not ready (default 5 s). */
  readyTimeoutMs?: number;
}

/** `GET /healthz`, `GET /readyz` (200/503 with the checks) and `GET /metrics`. */
export function healthRoutes(options: HealthRoutesOptions): Router {
  const router = Router();
  const timeoutMs = options.readyTimeoutMs ?? 5000;

  router.get('/healthz', (_req, res) => {
    const live = options.live ? safely(options.live) : true;
    res.status(live ? 200 : 503).json({ status: live ? 'ok' : 'error' });
  });

  router.get('/readyz', async (_req, res) => {
    const result = await readiness(options.ready, timeoutMs);
    res.status(result.ok ? 200 : 503).json({ status: result.ok ? 'ok' : 'unavailable', checks: result.checks });
  });

  router.get('/metrics', metricsHandler(options.registry));
  return router;
}

async function readiness(ready: () => Promise<ReadinessResult>, timeoutMs: number): Promise<ReadinessResult> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<ReadinessResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, checks: { readiness: 'timed out' } }), timeoutMs);
  });
  try {
    // A throwing check must not leak internals into the response body: report it generically.
    return await Promise.race([ready().catch(() => ({ ok: false, checks: { readiness: 'check failed' } })), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function safely(live: () => boolean): boolean {
  try {
    return live();
  } catch {
    return false;
  }
}
