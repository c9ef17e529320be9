import type { Metrics } from '@ffgate/telemetry';

/** The transcoder's metrics; every field is a no-op when the service runs without a registry. */
export interface TranscoderMetrics {
  deprovisionToKill(seconds: number): void;
  jobEnded(status: string, reason: string): void;
  setRunning(n: number): void;
  setQueueDepth(queue: string, n: number): void;
}

export function createTranscoderMetrics(metrics: Metrics | undefined): TranscoderMetrics {
  if (!metrics) return { deprovisionToKill() {}, jobEnded() {}, setRunning() {}, setQueueDepth() {} };
  const histogram = metrics.histogram({
    name: 'ffgate_deprovision_to_kill_seconds',
    help: 'From the time of a deprovisioning event (identity or token revocation) to the exit of the ffmpeg process it killed',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  });
  const jobs = metrics.counter({
    name: 'ffgate_transcoder_jobs_total',
    help: 'Jobs this replica ended, by final status and cancel reason (or error code)',
    labelNames: ['status', 'reason'],
  });
  const running = metrics.gauge({ name: 'ffgate_transcoder_running_jobs', help: 'Jobs this replica holds (running or about to start)' });
  const depth = metrics.gauge({
    name: 'ffgate_transcoder_queue_depth',
    help: 'Jobs waiting in each queue this replica serves (messages not yet handed to the durable consumer of the queue)',
    labelNames: ['queue'],
  });
  return {
    deprovisionToKill: (s) => histogram.observe(Math.max(0, s)),
    jobEnded: (status, reason) => jobs.inc({ status, reason }),
    setRunning: (n) => running.set(n),
    setQueueDepth: (queue, n) => depth.set({ queue }, n),
  };
}
