/**
 * Preload entry: `node --import @ffgate/telemetry/register src/main.ts`.
 *
 * ESM imports are only instrumented when the import-in-the-middle loader hook is registered
 * before the application graph loads (STACK.md), hence a separate `--import` module rather than a
 * call in main.ts. When telemetry is off this module does nothing at all.
 */
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { defaultServiceName, telemetryEnabled } from './enabled.ts';
import { INSTRUMENTED_MODULES, startTelemetry } from './sdk.ts';

if (telemetryEnabled()) {
  registerLoaderHook();
  const telemetry = startTelemetry({ serviceName: defaultServiceName() });
  // Services call `shutdownTelemetry()` in their ordered shutdown; these catch the rest.
  process.once('beforeExit', () => void telemetry.shutdown());
}

function registerLoaderHook(): void {
  // The hook ships with @opentelemetry/instrumentation, a dependency of sdk-node; pnpm's strict
  // layout only lets us reach it through sdk-node's own resolution.
  const fromSdk = createRequire(import.meta.resolve('@opentelemetry/sdk-node'));
  const hook = pathToFileURL(fromSdk.resolve('@opentelemetry/instrumentation/hook.mjs'));
  // Intercept only the instrumented packages: the hook parses every module it wraps, and our own
  // sources are TypeScript run by Node's type stripping, which its JavaScript parser cannot read.
  const include = INSTRUMENTED_MODULES.flatMap((name) =>
    name === 'http' ? ['http', 'https', 'node:http', 'node:https'] : [name],
  );
  register(hook, import.meta.url, { data: { include } });
}
