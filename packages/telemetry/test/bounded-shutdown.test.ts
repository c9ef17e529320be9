import { describe, expect, test } from '@jest/globals';
import { boundedShutdown } from '../src/bounded-shutdown.ts';

// What `Telemetry.shutdown` promises whatever the exporter does: it settles, and it never throws.
describe('boundedShutdown', () => {
  test('resolves even when the SDK shutdown never settles (a collector that never answers)', async () => {
    await expect(boundedShutdown(() => new Promise<void>(() => {}), 10)).resolves.toBeUndefined();
  });

  test('resolves instead of rejecting when the SDK shutdown fails', async () => {
    await expect(boundedShutdown(() => Promise.reject(new Error('ECONNREFUSED')), 60_000)).resolves.toBeUndefined();
  });

  test('waits for a shutdown that completes', async () => {
    let flushed = false;
    await boundedShutdown(async () => {
      await Promise.resolve();
      flushed = true;
    }, 60_000);
    expect(flushed).toBe(true);
  });
});
