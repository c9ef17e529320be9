/**
 * Runs one transcoder replica: `pnpm --filter @ffgate/transcoder start`. SIGTERM/SIGINT drain (stop
 * pulling, let running jobs finish up to FFGATE_DRAIN_TIMEOUT_SECONDS, hand the rest back) and exit
 * 0; @ffgate/runtime does config, the bus connection, HTTP and signals.
 */
import { FfmpegMissingError, resolveFfmpeg } from '@ffgate/media';
import { runService } from '@ffgate/runtime';
import { defaultReplicaId, loadTranscoderConfig, transcoderServiceConfig } from './config.ts';
import { createTranscoder } from './service.ts';

await runService({
  name: 'transcoder',
  loadConfig: loadTranscoderConfig,
  // /healthz and /metrics answer while the replica replays IDENTITY and TOKENS (/readyz says so)
  listenBeforeStart: true,
  busName: (config) => `ffgate-transcoder-${config.replicaId ?? defaultReplicaId()}`,
  build: ({ config, bus, logger, metrics }) => {
    try {
      resolveFfmpeg(config.ffmpegPath ? { ...process.env, FFMPEG_PATH: config.ffmpegPath } : process.env);
    } catch (err) {
      if (!(err instanceof FfmpegMissingError)) throw err;
      logger.fatal({}, err.message);
      process.exit(2);
    }
    if (!config.natsUrl) logger.warn({}, 'NATS_URL is unset: in-process bus, so this replica receives no jobs or identity events from other processes');
    return createTranscoder({
      config: transcoderServiceConfig(config),
      bus,
      logger,
      metrics,
      replicaId: config.replicaId ?? defaultReplicaId(),
      ackWaitMs: config.jobAckWaitSeconds * 1000,
    });
  },
});
