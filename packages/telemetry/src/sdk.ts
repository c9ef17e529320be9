import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { boundedShutdown } from './bounded-shutdown.ts';
import { telemetryEnabled } from './enabled.ts';

/** Instrumentations we keep; everything else in the meta-package (fs, dns, net …) is noise. */
export const INSTRUMENTED_MODULES = ['http', 'express', 'pg'] as const;

export interface Telemetry {
  readonly enabled: boolean;
  /**
   * Flushes and stops the SDK; resolves within `timeoutMs` (default 2 s), never throws, idempotent.
   * An unreachable collector may leave exporter retry timers running for a few seconds more:
   * a service's main should `process.exit()` once its ordered shutdown is done.
   */
  shutdown(timeoutMs?: number): Promise<void>;
}

export interface StartTelemetryOptions {
  serviceName: string;
  env?: Record<string, string | undefined>;
}

let active: Telemetry | undefined;

/**
 * Starts the OpenTelemetry Node SDK, configured by the standard OTEL_* variables, when an exporter
 * is configured (see `telemetryEnabled`). Safe to call more than once: later calls return the
 * running instance, because the SDK registers process-global providers.
 */
export function startTelemetry(options: StartTelemetryOptions): Telemetry {
  if (active) return active;
  const env = options.env ?? process.env;
  if (!telemetryEnabled(env)) return disabled;

  // Metrics go through prom-client and logs through pino; the SDK's own defaults would add an
  // OTLP metrics/logs exporter that retries an absent collector at shutdown. Operators can still
  // opt in with the standard variables.
  process.env.OTEL_METRICS_EXPORTER ||= 'none';
  process.env.OTEL_LOGS_EXPORTER ||= 'none';
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME || options.serviceName,
    instrumentations: [autoInstrumentations()],
  });
  sdk.start();

  let stopping: Promise<void> | undefined;
  active = {
    enabled: true,
    shutdown(timeoutMs = 2000) {
      stopping ??= boundedShutdown(() => sdk.shutdown(), timeoutMs).finally(() => {
        active = undefined;
      });
      return stopping;
    },
  };
  return active;
}

/** Shuts down whatever `startTelemetry` (or the register preload) started; no-op when off. */
export function shutdownTelemetry(timeoutMs?: number): Promise<void> {
  return active ? active.shutdown(timeoutMs) : Promise.resolve();
}

/**
 * Only http, express and pg by default. The meta-package reads OTEL_NODE_ENABLED_INSTRUMENTATIONS
 * from process.env (it has no other "only these" switch), so we set our default there unless the
 * operator chose a list; fs, dns, net and the rest stay off and are never even constructed.
 */
export function autoInstrumentations() {
  process.env.OTEL_NODE_ENABLED_INSTRUMENTATIONS ||= INSTRUMENTED_MODULES.join(',');
  return getNodeAutoInstrumentations();
}

const disabled: Telemetry = Object.freeze({
  enabled: false,
  shutdown: async () => {},
});
