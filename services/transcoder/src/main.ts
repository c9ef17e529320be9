/**
 * Runs one transcoder replica: `pnpm --filter @ffgate/transcoder start`. The only file of this
 * service that reads process.env and handles signals. SIGTERM/SIGINT drain (stop pulling, let
 * running jobs finish up to FFGATE_DRAIN_TIMEOUT_SECONDS, hand the rest back) and exit 0.
 */
import { resolve } from 'node:path';
import express from 'express';
import { connectBus } from '@ffgate/bus';
import { ConfigError } from '@ffgate/config';
import { FfmpegMissingError, resolveFfmpeg } from '@ffgate/media';
import { createLogger, createMetrics, healthRoutes, shutdownTelemetry } from '@ffgate/telemetry';
import { defaultReplicaId, loadTranscoderConfig } from './config.ts';
import { createTranscoder } from './service.ts';

let config;
try {
  config = loadTranscoderConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}
const replicaId = config.replicaId ?? defaultReplicaId();
const logger = createLogger({ name: 'ffgate-transcoder', level: config.logLevel });
try {
  resolveFfmpeg(config.ffmpegPath ? { ...process.env, FFMPEG_PATH: config.ffmpegPath } : process.env);
} catch (err) {
  if (err instanceof FfmpegMissingError) {
    logger.fatal({}, err.message);
    process.exit(2);
  }
  throw err;
}
const metrics = createMetrics({ service: 'transcoder' });
if (!config.natsUrl) logger.warn({}, 'NATS_URL is unset: in-process bus, so this replica receives no jobs or identity events from other processes');
const bus = await connectBus({ natsUrl: config.natsUrl, name: `ffgate-transcoder-${replicaId}`, logger });
const transcoder = createTranscoder({
  config: {
    queues: config.queues,
    concurrency: config.concurrency,
    mediaRoot: resolve(config.mediaRoot),
    ...(config.ffmpegPath ? { ffmpegPath: config.ffmpegPath } : {}),
    revocationStaleSeconds: config.revocationStaleSeconds,
    drainTimeoutSeconds: config.drainTimeoutSeconds,
    jobMaxAttempts: config.jobMaxAttempts,
    ...(config.policy ? { policy: config.policy } : {}),
  },
  bus,
  logger,
  metrics,
  replicaId,
  ackWaitMs: config.jobAckWaitSeconds * 1000,
});

const app = express();
app.disable('x-powered-by');
app.use(healthRoutes({ ready: () => transcoder.ready(), registry: metrics.registry }));
const server = app.listen(config.port, () => logger.info({ port: config.port, replicaId }, 'transcoder listening'));

let shuttingDown = false;
async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, 'shutting down: draining');
  await transcoder.stop();
  await bus.close();
  await new Promise<void>((r) => server.close(() => r()));
  await shutdownTelemetry().catch(() => undefined);
  process.exit(0);
}
// `on`, not `once`: execa's exit cleanup (signal-exit) re-raises a signal that no other listener
// handles any more, which would kill the process in the middle of its drain
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

await transcoder.start();
