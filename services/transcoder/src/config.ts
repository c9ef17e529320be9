import { resolve } from 'node:path';
import type { TranscoderServiceConfig } from './service-types.ts';
import { hostname } from 'node:os';
import { configKey, defineConfig, positiveIntSchema, z, type Env } from '@ffgate/config';

const queueList = z
  .string({ error: 'is required' })
  .transform((s) => s.split(',').map((q) => q.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[A-Za-z0-9_-]+$/, 'queue names are letters, digits, _ and -')).min(1, 'name at least one queue'));

/** The transcoder's own configuration keys (added to the common ones). */
export const transcoderConfigKeys = {
  queues: configKey('FFGATE_QUEUES', queueList, {
    default: 'default,broadcast',
    description: 'Comma-separated job queues this replica serves (durable consumer `transcoder-<queue>` each).',
  }),
  concurrency: configKey('FFGATE_CONCURRENCY', positiveIntSchema(), {
    default: '2',
    description: 'FFmpeg processes this replica runs at once, across all its queues.',
  }),
  mediaRoot: configKey('FFGATE_MEDIA_ROOT', z.string().min(1), {
    default: './.ffgate/media',
    description: "Media root shared with the gateway: job paths are shared/… (read-only) or home/… (the owner's area, <root>/home/<SCIM id>/…).",
  }),
  ffmpegPath: configKey('FFMPEG_PATH', z.string().optional(), {
    description: 'ffmpeg binary. Unset: `ffmpeg` on PATH.',
  }),
  revocationStaleSeconds: configKey('FFGATE_REVOCATION_STALE_SECONDS', positiveIntSchema(), {
    default: '300',
    description: 'Fail closed: without a sign of life from the revocation feed for this long, start no job and kill running ones (handed back for redelivery).',
  }),
  drainTimeoutSeconds: configKey('FFGATE_DRAIN_TIMEOUT_SECONDS', positiveIntSchema(), {
    default: '30',
    description: 'On SIGTERM/SIGINT, how long running jobs may finish before they are stopped and handed back for redelivery.',
  }),
  jobMaxAttempts: configKey('FFGATE_JOB_MAX_ATTEMPTS', positiveIntSchema(), {
    default: '3',
    description: 'Attempts per job (transient failures, lost workers) before it ends `failed` or `canceled`/`worker_lost`.',
  }),
  jobAckWaitSeconds: configKey('FFGATE_JOB_ACK_WAIT_SECONDS', positiveIntSchema(), {
    default: '30',
    description: 'JetStream ack deadline of job messages: a replica that dies is noticed (and its jobs redelivered) after this long. Heartbeats every third of it.',
  }),
  policy: configKey('FFGATE_POLICY', z.string().optional(), {
    description: 'Role policy file (YAML or JSON), re-checked before every job start. Unset: the shipped default policy.',
  }),
  replicaId: configKey('FFGATE_REPLICA_ID', z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . and -').optional(), {
    description: 'Name of this replica in job statuses and audit records (`transcoder:<id>`). Unset: <hostname>-<pid>.',
  }),
};

export const transcoderConfigLoader = defineConfig(transcoderConfigKeys);
export type TranscoderEnvConfig = ReturnType<typeof transcoderConfigLoader.load>;

export function loadTranscoderConfig(env?: Env): TranscoderEnvConfig {
  return transcoderConfigLoader.load(env);
}

type EnvKeys = Pick<
  TranscoderEnvConfig,
  'queues' | 'concurrency' | 'mediaRoot' | 'ffmpegPath' | 'revocationStaleSeconds' | 'drainTimeoutSeconds' | 'jobMaxAttempts' | 'policy'
>;

/** The environment's keys as `createTranscoder` takes them (one replica or the all-in-one). */
export function transcoderServiceConfig(config: EnvKeys): TranscoderServiceConfig {
  return {
    queues: config.queues,
    concurrency: config.concurrency,
    mediaRoot: resolve(config.mediaRoot),
    ...(config.ffmpegPath ? { ffmpegPath: config.ffmpegPath } : {}),
    revocationStaleSeconds: config.revocationStaleSeconds,
    drainTimeoutSeconds: config.drainTimeoutSeconds,
    jobMaxAttempts: config.jobMaxAttempts,
    ...(config.policy ? { policy: config.policy } : {}),
  };
}

export function defaultReplicaId(): string {
  return `${hostname().replace(/[^A-Za-z0-9_.-]/g, '_')}-${process.pid}`;
}
