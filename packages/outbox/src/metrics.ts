import type { OutboxRelay } from './relay.ts';

/** The slice of @ffgate/telemetry's Metrics this needs (kept structural: outbox does not depend on telemetry). */
interface GaugeLike {
  set(labels: Record<string, string>, value: number): void;
}
export interface MetricsLike {
  readonly registry: object;
  gauge(config: { name: string; help: string; labelNames: string[]; collect?: () => void }): GaugeLike;
}

// One relay list per registry: the all-in-one process runs several services' relays on one registry.
const relaysByRegistry = new WeakMap<object, Map<string, OutboxRelay>>();

/**
 * Expose a relay's counters as Prometheus gauges labelled `outbox="<name>"`:
 * `ffgate_outbox_published`, `ffgate_outbox_failures`, `ffgate_outbox_lag_seconds`, `ffgate_outbox_leader`.
 */
export function exposeRelayMetrics(metrics: MetricsLike, name: string, relay: OutboxRelay): void {
  let relays = relaysByRegistry.get(metrics.registry);
  if (!relays) {
    relays = new Map();
    relaysByRegistry.set(metrics.registry, relays);
  }
  relays.set(name, relay);
  const all = relays;
  const gauge = (metric: string, help: string, read: (r: OutboxRelay) => number) => {
    const g: GaugeLike = metrics.gauge({
      name: metric,
      help,
      labelNames: ['outbox'],
      collect() {
        for (const [n, r] of all) g.set({ outbox: n }, read(r));
      },
    });
  };
  gauge('ffgate_outbox_published', 'Events this relay published since start', (r) => r.stats.published);
  gauge('ffgate_outbox_failures', 'Failed publish attempts since start', (r) => r.stats.failures);
  gauge('ffgate_outbox_lag_seconds', 'Commit-to-publish lag of the last published batch', (r) => r.stats.lagMs / 1000);
  gauge('ffgate_outbox_leader', '1 while this relay leads its outbox', (r) => (r.isLeader ? 1 : 0));
}
