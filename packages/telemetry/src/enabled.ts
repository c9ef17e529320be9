type Env = Record<string, string | undefined>;

/**
 * Telemetry is opt-in: on only when an exporter is configured through the standard OTEL_*
 * variables, and never when OTEL_SDK_DISABLED=true (the test runner sets it).
 */
export function telemetryEnabled(env: Env = process.env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const exporter = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase();
  return Boolean(endpoint) || (exporter !== undefined && exporter !== '' && exporter !== 'none');
}

export function defaultServiceName(env: Env = process.env, fallback = 'ffgate'): string {
  return env.OTEL_SERVICE_NAME || fallback;
}
