import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

/** Spawn the real `ffgate` binary (src/main.ts), so exit codes and stdio are the user's. */
export const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
export const TOKEN = 'admin-token-0123456789';

export interface Recorded {
  method: string;
  url: string;
  authorization: string | undefined;
  body: unknown;
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the binary with a clean ffgate environment plus `env`. */
export function ffgate(args: string[], env: Record<string, string | undefined> = {}, main = MAIN): Promise<Result> {
  const childEnv: Record<string, string> = {};
  const cleared = { FFGATE_URL: undefined, FFGATE_ADMIN_TOKEN: undefined, FFGATE_TOKEN_ADMIN_URL: undefined, FFGATE_GATEWAY_URL: undefined };
  for (const [key, value] of Object.entries({ ...process.env, ...cleared, ...env })) {
    if (value !== undefined) childEnv[key] = value;
  }
  return new Promise((resolve) => {
    execFile(process.execPath, [main, ...args], { env: childEnv, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

export type Send = (status: number, payload?: unknown, contentType?: string) => void;

/**
 * A fake admin API: records every request, rejects a wrong admin token with `unauthorized` (in
 * the given error dialect), and hands the rest to `route`.
 */
export async function fakeApi(route: (req: Recorded, send: Send, res: ServerResponse) => void, unauthorized: unknown) {
  const requests: Recorded[] = [];
  const server: Server = createServer(async (req, res) => {
    const recorded = { method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body: await readBody(req) };
    requests.push(recorded);
    const send: Send = (status, payload, contentType = 'application/json') => {
      res.writeHead(status, payload === undefined ? {} : { 'content-type': contentType });
      res.end(payload === undefined ? undefined : JSON.stringify(payload));
    };
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, unauthorized);
    route(recorded, send, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return { url, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  return text ? JSON.parse(text) : undefined;
}
