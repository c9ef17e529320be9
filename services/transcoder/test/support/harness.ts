import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { connectNatsBus, silentLogger, type Bus, type NatsBus, type Subscription } from '@ffgate/bus';
import { JobEventsStream, JobsStream, jobDispatchSubject, type JobDispatchEvent, type JobProgressEvent, type JobStatusEvent } from '@ffgate/contracts';
import { createMetrics, type Metrics } from '@ffgate/telemetry';
import { waitFor } from '@ffgate/testing';
import { createTranscoder, type Transcoder, type TranscoderServiceConfig } from '../../src/index.ts';

export const QUIET = { ...silentLogger, fatal() {}, child() { return QUIET; } } as never;

export async function connect(url: string, name: string): Promise<NatsBus> {
  return connectNatsBus({ url, name, logger: silentLogger, reconnectTimeWaitMs: 100 });
}

export interface Replica {
  transcoder: Transcoder;
  bus: NatsBus;
  metrics: Metrics;
  close(): Promise<void>;
}

export async function startReplica(
  url: string,
  mediaRoot: string,
  replicaId: string,
  overrides: Partial<TranscoderServiceConfig> = {},
  ackWaitMs = 30_000,
): Promise<Replica> {
  const bus = await connect(url, replicaId);
  const metrics = createMetrics({ service: 'transcoder', defaultMetrics: false });
  const transcoder = createTranscoder({
    config: {
      queues: ['default', 'broadcast'],
      concurrency: 2,
      mediaRoot,
      revocationStaleSeconds: 300,
      drainTimeoutSeconds: 5,
      jobMaxAttempts: 3,
      ...overrides,
    },
    bus,
    logger: silentLogger,
    metrics,
    replicaId,
    depthPollMs: 500,
    ackWaitMs,
  });
  await transcoder.start();
  return {
    transcoder,
    bus,
    metrics,
    async close() {
      await transcoder.stop();
      await bus.close();
    },
  };
}

/** Every job status published, by job id (a broadcast from the start of JOB_EVENTS). */
export class StatusLog {
  readonly byJob = new Map<string, JobStatusEvent[]>();
  readonly progressByJob = new Map<string, JobProgressEvent[]>();
  #subs: Subscription[] = [];

  static async start(bus: Bus): Promise<StatusLog> {
    const log = new StatusLog();
    await bus.ensureStream(JobEventsStream);
    log.#subs.push(
      await bus.consume<JobProgressEvent>({ stream: JobEventsStream.name, filterSubject: 'job.progress.>', deliver: 'all' }, async (d) => {
        const list = log.progressByJob.get(d.event.jobId) ?? [];
        list.push(d.event);
        log.progressByJob.set(d.event.jobId, list);
        return { kind: 'ack' };
      }),
    );
    const sub = await bus.consume<JobStatusEvent>({ stream: JobEventsStream.name, filterSubject: 'job.status.>', deliver: 'all' }, async (d) => {
      const list = log.byJob.get(d.event.jobId) ?? [];
      list.push(d.event);
      log.byJob.set(d.event.jobId, list);
      return { kind: 'ack' };
    });
    log.#subs.push(sub);
    return log;
  }

  of(jobId: string): JobStatusEvent[] {
    return this.byJob.get(jobId) ?? [];
  }

  terminal(jobId: string): JobStatusEvent | undefined {
    return this.of(jobId).find((s) => s.status === 'succeeded' || s.status === 'failed' || s.status === 'canceled');
  }

  running(jobId: string): JobStatusEvent | undefined {
    return this.of(jobId).find((s) => s.status === 'running');
  }

  waitTerminal(jobId: string, timeoutMs = 30_000): Promise<JobStatusEvent> {
    return waitFor(() => this.terminal(jobId), { timeoutMs, message: `job ${jobId} did not end` });
  }

  waitRunning(jobId: string, timeoutMs = 30_000): Promise<JobStatusEvent> {
    return waitFor(() => this.running(jobId), { timeoutMs, message: `job ${jobId} did not start` });
  }

  stop(): Promise<void> {
    return Promise.all(this.#subs.map((s) => s.stop())).then(() => undefined);
  }
}

export function dispatchEvent(user: { id: string; userName: string }, profile: string, queue: string, input: string, extra: Partial<JobDispatchEvent> = {}): JobDispatchEvent {
  const jobId = `job-${randomUUID()}`;
  return {
    id: randomUUID(),
    type: 'job.dispatch',
    time: new Date().toISOString(),
    jobId,
    owner: { userId: user.id, userName: user.userName, clientId: 'pipeline', jti: randomUUID(), iat: Math.floor(Date.now() / 1000) - 5 },
    profile,
    queue,
    input,
    output: `home/${jobId}.mp4`,
    limits: { maxRuntimeSec: 600, maxOutputBytes: 2_000_000_000 },
    ...extra,
  };
}

export async function dispatch(bus: Bus, job: JobDispatchEvent): Promise<void> {
  await bus.ensureStream(JobsStream);
  await bus.publish(jobDispatchSubject(job.queue), job, { msgId: job.id });
}

/** files (including hidden partial outputs) in a user's home */
export function homeFiles(root: string, userId: string): string[] {
  try {
    return readdirSync(join(root, 'home', userId));
  } catch {
    return [];
  }
}

export async function histogramCount(metrics: Metrics, name = 'ffgate_deprovision_to_kill_seconds'): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) return 0;
  const data = await metric.get();
  return (data.values as { metricName?: string; value: number }[]).find((v) => v.metricName === `${name}_count`)?.value ?? 0;
}
