/** A small closed-loop load generator: `concurrency` clients each send requests back to back. */
export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  ratePerSec: number;
  p50Ms: number;
  p99Ms: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export async function runLoad(options: {
  concurrency: number;
  total: number;
  /** one request; resolves true when the response was the expected one */
  request: (i: number) => Promise<boolean>;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  async function client(): Promise<void> {
    for (;;) {
      const i = next++;
      if (i >= options.total) return;
      const t0 = performance.now();
      let ok = false;
      try {
        ok = await options.request(i);
      } catch {
        ok = false;
      }
      latencies.push(performance.now() - t0);
      if (!ok) errors++;
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: options.total,
    errors,
    seconds,
    ratePerSec: options.total / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}
