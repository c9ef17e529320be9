import { describe, expect, test } from '@jest/globals';
import { createLogger, createMetrics, traceFields, withSpan } from '@ffgate/telemetry';
import { Writable } from 'node:stream';

describe('createMetrics', () => {
  test('each instance has its own registry with default labels', async () => {
    const a = createMetrics({ service: 'a', defaultMetrics: false });
    const b = createMetrics({ service: 'b', defaultMetrics: false });
    a.counter({ name: 'jobs_total', help: 'jobs', labelNames: ['outcome'] }).inc({ outcome: 'ok' }, 3);
    expect(await a.registry.getSingleMetricAsString('jobs_total')).toContain('jobs_total{outcome="ok",service="a"} 3');
    expect(b.registry.getSingleMetric('jobs_total')).toBeUndefined();
  });

  test('asking for a metric twice returns the same instance', () => {
    const metrics = createMetrics({ service: 'x', defaultMetrics: false });
    const first = metrics.histogram({ name: 'latency_seconds', help: 'latency' });
    expect(metrics.histogram({ name: 'latency_seconds', help: 'latency' })).toBe(first);
    const gauge = metrics.gauge({ name: 'in_flight', help: 'in flight' });
    gauge.set(2);
    expect(metrics.gauge({ name: 'in_flight', help: 'in flight' })).toBe(gauge);
  });

  test('default process metrics are registered once per registry', async () => {
    const a = createMetrics({ service: 'a' });
    const b = createMetrics({ service: 'b' });
    expect(await a.registry.metrics()).toContain('process_resident_memory_bytes{service="a"}');
    expect(await b.registry.metrics()).toContain('process_resident_memory_bytes{service="b"}');
  });
});

describe('withSpan and logger without an SDK (telemetry off)', () => {
  test('withSpan returns the result and rethrows errors', async () => {
    await expect(withSpan('ok', () => 42)).resolves.toBe(42);
    await expect(withSpan('fails', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });

  test('log lines are JSON without trace fields when no span is active', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ name: 'unit', level: 'debug', destination });
    await withSpan('noop', () => log.debug({ step: 1 }, 'hello'));
    const line = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(line).toMatchObject({ name: 'unit', msg: 'hello', step: 1, level: 20 });
    expect(line).not.toHaveProperty('trace_id');
    expect(traceFields()).toEqual({});
  });
});
