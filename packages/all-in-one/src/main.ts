/**
 * `pnpm start`: every ffgate service in one process on one port. Embedded by default (PGlite in
 * FFGATE_DATA_DIR and the in-process bus persisted beside it); DATABASE_URL / NATS_URL switch to
 * real PostgreSQL and NATS JetStream. @ffgate/runtime does config, connections, HTTP and signals.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FfmpegMissingError, resolveFfmpeg } from '@ffgate/media';
import { runService } from '@ffgate/runtime';
import { developmentAdminToken } from './admin-token.ts';
import { printBanner } from './banner.ts';
import { composeAllInOne } from './compose.ts';
import { loadAllInOneConfig } from './config.ts';

let generatedAdmin: ReturnType<typeof developmentAdminToken> | undefined;
// ffmpeg is needed only by the transcoder: without it everything else runs and jobs wait queued
let ffmpegMissing: string | undefined;

await runService({
  name: 'all-in-one',
  loadConfig(env) {
    const config = loadAllInOneConfig(env);
    if (config.adminToken || config.nodeEnv === 'production') return config;
    generatedAdmin = developmentAdminToken(resolve(config.dataDir));
    return Object.freeze({ ...config, adminToken: generatedAdmin.token });
  },
  embeddedDatabaseDir: (config) => join(resolve(config.dataDir), 'db'),
  // embedded: streams and durable consumers persist beside the database, so a restart loses nothing
  embeddedBusDir: (config) => join(resolve(config.dataDir), 'bus'),
  busName: () => 'ffgate',
  build: ({ config, database, bus, logger, metrics }) => {
    try {
      resolveFfmpeg(config.ffmpegPath ? { ...process.env, FFMPEG_PATH: config.ffmpegPath } : process.env);
    } catch (err) {
      if (!(err instanceof FfmpegMissingError)) throw err;
      ffmpegMissing = err.message;
    }
    mkdirSync(join(resolve(config.mediaRoot), 'shared'), { recursive: true });
    return composeAllInOne({ config, database: database!, bus, logger, metrics, transcoder: !ffmpegMissing });
  },
  onListening: (_system, config) =>
    printBanner({
      config,
      dataDir: resolve(config.dataDir),
      embeddedDb: !config.databaseUrl,
      embeddedBus: !config.natsUrl,
      ...(generatedAdmin ? { generatedAdmin } : {}),
      ...(ffmpegMissing ? { ffmpegMissing } : {}),
    }),
});
