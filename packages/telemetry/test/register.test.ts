import { describe, expect, test } from '@jest/globals';
import { closedPort, runFixture } from './helpers.ts';

// These run a real service-shaped process under `node --import @ffgate/telemetry/register`,
// because the SDK and the ESM loader hook are process-global and must start before the app.
describe('telemetry register preload', () => {
  test('when enabled, traces express requests and stamps logs with the active trace', async () => {
    const run = await runFixture('traced-app.ts', { OTEL_TRACES_EXPORTER: 'console', OTEL_SERVICE_NAME: 'fixture-svc' });
    expect(run.code).toBe(0);

    // the console exporter prints spans on stdout
    expect(run.stdout).toContain("name: '@opentelemetry/instrumentation-express'");
    expect(run.stdout).toContain("name: 'GET /items/:id'");
    expect(run.stdout).toContain("'service.name': 'fixture-svc'");
    expect(run.stdout).toContain("name: 'manual-work'");

    const request = run.events.find((e) => e.event === 'request');
    expect(request?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(request?.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(run.stdout).toContain(`traceId: '${String(request?.trace_id)}'`);

    const manual = run.events.find((e) => e.event === 'manual');
    expect(manual?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(manual?.trace_id).not.toBe(request?.trace_id);

    const outside = run.events.find((e) => e.event === 'outside');
    expect(outside).toBeDefined();
    expect(outside).not.toHaveProperty('trace_id');
  });

  test('is a no-op when OTEL_SDK_DISABLED=true even with an exporter configured', async () => {
    const run = await runFixture('traced-app.ts', { OTEL_TRACES_EXPORTER: 'console', OTEL_SDK_DISABLED: 'true' });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('traceId');
    expect(run.events.find((e) => e.event === 'request')).not.toHaveProperty('trace_id');
    expect(run.events.find((e) => e.event === 'shutdown')).toBeDefined();
  });

  test('is a no-op when no exporter is configured', async () => {
    const run = await runFixture('traced-app.ts', {});
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.events.find((e) => e.event === 'manual')).not.toHaveProperty('trace_id');
  });

  test('shutdown resolves without throwing when the OTLP collector is unreachable', async () => {
    const port = await closedPort();
    const run = await runFixture('traced-app.ts', { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
    expect(run.code).toBe(0);
    expect(run.events.find((e) => e.event === 'request')?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    // logged only after `await shutdownTelemetry()` resolved
    expect(run.events.find((e) => e.event === 'shutdown')).toBeDefined();
  });
});
