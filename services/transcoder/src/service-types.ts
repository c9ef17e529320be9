import type { Bus } from '@ffgate/bus';
import type { Metrics } from '@ffgate/telemetry';
import type { TranscodeEngine } from './engine.ts';
import type { JobHandlerLogger } from './job-handler.ts';

/** The public shape of a transcoder replica (see service.ts). */
export interface TranscoderServiceConfig {
  queues: readonly string[];
  concurrency: number;
  /** required unless an engine is injected */
  mediaRoot?: string;
  ffmpegPath?: string;
  revocationStaleSeconds: number;
  drainTimeoutSeconds: number;
  jobMaxAttempts: number;
  /** policy file path or inline text; unset: the shipped default */
  policy?: string;
}

export interface TranscoderDeps {
  config: TranscoderServiceConfig;
  bus: Bus;
  logger: JobHandlerLogger;
  /** the service's metrics registry (`@ffgate/telemetry` createMetrics) */
  metrics?: Metrics;
  replicaId: string;
  /** default: the @ffgate/media engine on config.mediaRoot */
  engine?: TranscodeEngine;
  /** JetStream ack deadline of job messages (default 30 s; heartbeats every third of it) */
  ackWaitMs?: number;
  /** how often the queue depth gauge is refreshed (default 5 s) */
  depthPollMs?: number;
  now?: () => number;
}

export interface TranscoderStats {
  running: number;
  users: number;
  caughtUp: boolean;
  draining: boolean;
}

export interface Transcoder {
  start(): Promise<void>;
  /** drain: stop pulling, let running jobs finish up to the drain timeout, hand the rest back. Idempotent. */
  stop(): Promise<void>;
  ready(): Promise<{ ok: boolean; checks: Record<string, boolean | string> }>;
  readonly stats: TranscoderStats;
  readonly replicaId: string;
}
