import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { Request, RequestHandler } from 'express';

const LABELS = ['method', 'route', 'status'] as const;

/**
 * Counts requests and their duration by method, matched route and status. The route is the
 * Express pattern (`/scim/v2/Users/:id`), never the raw path, so label cardinality stays bounded;
 * requests no route matched are labelled `unmatched`.
 */
export function httpMetricsMiddleware(registry: Registry): RequestHandler {
  const requests =
    (registry.getSingleMetric('http_requests_total') as Counter<(typeof LABELS)[number]> | undefined) ??
    new Counter({ name: 'http_requests_total', help: 'HTTP requests handled', labelNames: LABELS, registers: [registry] });
  const duration =
    (registry.getSingleMetric('http_request_duration_seconds') as Histogram<(typeof LABELS)[number]> | undefined) ??
    new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds',
      labelNames: LABELS,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });

  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const labels = { method: req.method, route: routeOf(req), status: String(res.statusCode) };
      requests.inc(labels);
      duration.observe(labels, Number(process.hrtime.bigint() - start) / 1e9);
    });
    next();
  };
}

function routeOf(req: Request): string {
  const path: unknown = req.route?.path;
  if (typeof path !== 'string') return 'unmatched';
  return `${req.baseUrl}${path}` || '/';
}
