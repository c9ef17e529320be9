import { resolve } from 'node:path';
import type { AllInOneConfig } from './config.ts';

/** What a newcomer needs after `pnpm start`: where SCIM lives and how to get a token. */
export function printBanner(options: {
  config: AllInOneConfig;
  dataDir: string;
  embeddedDb: boolean;
  embeddedBus: boolean;
  generatedAdmin?: { token: string; file: string; created: boolean };
  ffmpegMissing?: string;
}): void {
  const { config, generatedAdmin } = options;
  const base = (config.publicUrl ?? `http://localhost:${config.port}`).replace(/\/$/, '');
  const admin = generatedAdmin ? generatedAdmin.token : '$FFGATE_ADMIN_TOKEN';
  const lines = [
    '',
    'ffgate is running',
    `  database:       ${options.embeddedDb ? `embedded PGlite in ${options.dataDir}/db` : 'PostgreSQL (DATABASE_URL)'}`,
    `  bus:            ${options.embeddedBus ? 'in-process (embedded)' : 'NATS JetStream (NATS_URL)'}`,
    `  SCIM base URL:  ${base}/scim/v2`,
    `  token service:  ${base}/oauth2/token  (JWKS: ${base}/.well-known/jwks.json)`,
    `  job gateway:    ${base}/v1/jobs  (OpenAPI: ${base}/v1/openapi.json)`,
    `  media root:     ${resolve(config.mediaRoot)}  (put inputs in shared/)`,
    `  transcoder:     ${options.ffmpegMissing ? 'NOT RUNNING — ffmpeg is missing' : `${config.concurrency} ffmpeg at once on ${config.queues.join(', ')}`}`,
    `  health:         ${base}/healthz  ${base}/readyz  ${base}/metrics`,
  ];
  if (options.ffmpegMissing) lines.push('', `!!! ${options.ffmpegMissing}`, '!!! Jobs wait in their queue until ffgate restarts with ffmpeg.');
  if (generatedAdmin) {
    lines.push(
      `  admin token:    ${generatedAdmin.token}`,
      `                  (${generatedAdmin.created ? 'generated' : 'read'} from ${generatedAdmin.file}; set FFGATE_ADMIN_TOKEN to choose your own)`,
    );
  } else if (!config.adminToken) {
    lines.push('  admin API:      disabled (set FFGATE_ADMIN_TOKEN)');
  }
  lines.push(
    '',
    'Get a SCIM bearer token for your identity provider (Okta, Entra ID, OneLogin):',
    `  curl -s -X POST ${base}/admin/v1/scim-connections \\`,
    `       -H "Authorization: Bearer ${admin}" -H "Content-Type: application/json" \\`,
    `       -d '{"name":"okta-prod"}'`,
    `  # or: FFGATE_URL=${base} FFGATE_ADMIN_TOKEN=${admin} pnpm ffgate scim-connections create okta-prod`,
    '',
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}
