import { spawn, type ChildProcess } from 'node:child_process';

/** Start a server process that prints `ready <port>` or answers 200 on `readyUrl`; resolves once it is up. */
export async function startServer(options: {
  name: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  readyUrl?: string;
}): Promise<{ child: ChildProcess; port?: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${options.name} exited early (${code}):\n${output.slice(-2000)}`))),
  );
  const up = (async () => {
    for (let i = 0; i < 600; i++) {
      const m = /ready (\d+)/.exec(output);
      if (m) return Number(m[1]);
      if (options.readyUrl) {
        const ok = await fetch(options.readyUrl).then((r) => r.ok, () => false);
        if (ok) return undefined;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${options.name} did not become ready:\n${output.slice(-2000)}`);
  })();
  const port = await Promise.race([up, exited]);
  exited.catch(() => undefined);
  return {
    child,
    port,
    async stop() {
      if (child.exitCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    },
  };
}
