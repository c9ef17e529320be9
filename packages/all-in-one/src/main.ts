/**
 * `pnpm start`: every ffgate service in one process on one port. Embedded by default (PGlite in
 * FFGATE_DATA_DIR and the in-process bus); DATABASE_URL / NATS_URL switch to real PostgreSQL and
 * NATS JetStream. The only file here that reads process.env and handles signals.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { connectBus } from '@ffgate/bus';
import { ConfigError } from '@ffgate/config';
import { openDatabase } from '@ffgate/db';
import { FfmpegMissingError, resolveFfmpeg } from '@ffgate/media';
import { createLogger, createMetrics, shutdownTelemetry } from '@ffgate/telemetry';
import { developmentAdminToken } from './admin-token.ts';
import { printBanner } from './banner.ts';
import { composeAllInOne } from './compose.ts';
import { loadAllInOneConfig, type AllInOneConfig } from './config.ts';

let config: AllInOneConfig;
try {
  config = loadAllInOneConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}
const dataDir = resolve(config.dataDir);
const logger = createLogger({ name: 'ffgate', level: config.logLevel });
const metrics = createMetrics({ service: 'all-in-one' });

let generatedAdmin: ReturnType<typeof developmentAdminToken> | undefined;
if (!config.adminToken && config.nodeEnv !== 'production') {
  generatedAdmin = developmentAdminToken(dataDir);
  config = Object.freeze({ ...config, adminToken: generatedAdmin.token });
}

const embeddedDb = !config.databaseUrl;
if (embeddedDb) mkdirSync(join(dataDir, 'db'), { recursive: true });
const database = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: join(dataDir, 'db') });
const bus = await connectBus({
  natsUrl: config.natsUrl,
  name: 'ffgate',
  logger,
  // embedded: streams and durable consumers persist beside the database, so a restart loses nothing
  ...(config.natsUrl ? {} : { persistDir: join(dataDir, 'bus') }),
});
// ffmpeg is needed only by the transcoder: without it everything else runs and jobs wait queued
let ffmpegMissing: string | undefined;
try {
  resolveFfmpeg(config.ffmpegPath ? { ...process.env, FFMPEG_PATH: config.ffmpegPath } : process.env);
} catch (err) {
  if (!(err instanceof FfmpegMissingError)) throw err;
  ffmpegMissing = err.message;
}
mkdirSync(join(resolve(config.mediaRoot), 'shared'), { recursive: true });
const system = composeAllInOne({ config, database, bus, logger, metrics, transcoder: !ffmpegMissing });
await system.start();

const server = system.app.listen(config.port, () => {
  printBanner({ config, dataDir, embeddedDb, embeddedBus: !config.natsUrl, generatedAdmin, ffmpegMissing });
});

let shuttingDown = false;
async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, 'shutting down');
  await new Promise<void>((done) => server.close(() => done()));
  await system.stop();
  await bus.close();
  await database.close();
  await shutdownTelemetry().catch(() => undefined);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
