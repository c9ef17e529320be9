import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const packageDir = fileURLToPath(new URL('..', import.meta.url));

export interface FixtureRun {
  code: number | null;
  stdout: string;
  /** The fixture's pino lines (stderr), parsed. */
  events: Array<Record<string, unknown>>;
}

/** Runs test/fixtures/<name> with the register preload and only the OTEL_* variables given. */
export function runFixture(name: string, otelEnv: Record<string, string>): Promise<FixtureRun> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('OTEL_')) env[key] = value;
  }
  Object.assign(env, otelEnv);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', '@ffgate/telemetry/register', `test/fixtures/${name}`],
      { cwd: packageDir, env, timeout: 30_000 },
      (error, stdout, stderr) => {
        const events = stderr
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, events });
      },
    );
  });
}

/** A port nothing listens on: bind an ephemeral port, then release it. */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
