import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CounterConfiguration, GaugeConfiguration, HistogramConfiguration } from 'prom-client';
import type { RequestHandler } from 'express';

export interface Metrics {
  readonly registry: Registry;
  counter<L extends string>(config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L>;
  histogram<L extends string>(config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L>;
  gauge<L extends string>(config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L>;
}

/**
 * An isolated registry per call (no prom-client global), labelled with the service name, with the
 * default process metrics. Getting a metric twice by name returns the first one, so two modules
 * (or the all-in-one process composing several services) can share a registry safely.
 */
export function createMetrics(options: { service: string; defaultMetrics?: boolean }): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  return {
    registry,
    counter: (config) => getOrCreate(registry, config.name, () => new Counter({ ...config, registers: [registry] })),
    histogram: (config) => getOrCreate(registry, config.name, () => new Histogram({ ...config, registers: [registry] })),
    gauge: (config) => getOrCreate(registry, config.name, () => new Gauge({ ...config, registers: [registry] })),
  };
}

function getOrCreate<M>(registry: Registry, name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}

/** Serves the registry in the Prometheus text format. */
export function metricsHandler(registry: Registry): RequestHandler {
  return async (_req, res, next) => {
    try {
      const body = await registry.metrics();
      res.setHeader('content-type', registry.contentType);
      res.send(body);
    } catch (error) {
      next(error);
    }
  };
}
