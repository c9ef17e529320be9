import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { processAlive, processState, waitFor } from '@ffgate/testing';

const describeOnLinux = existsSync('/proc/self/stat') ? describe : describe.skip;

describeOnLinux('processAlive', () => {
  test('a running process is alive', () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processState(process.pid)).toMatch(/^[RSD]$/);
  });

  test('an exited and reaped process is dead', async () => {
    const child = spawn('true');
    const pid = child.pid as number;
    await new Promise((resolve) => child.once('exit', resolve));
    expect(processAlive(pid)).toBe(false);
    expect(processState(pid)).toBeUndefined();
  });

  test('a zombie nobody reaps is dead, although kill(pid, 0) still finds it', async () => {
    // `sleep 0` exits at once; its parent shell execs into `sleep 300`, which never waits for it
    const holder = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 300'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const zombie = await new Promise<number>((resolve) => holder.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
      await waitFor(() => processState(zombie) === 'Z', { message: `child ${zombie} never became a zombie` });
      expect(processAlive(zombie)).toBe(false);
      expect(() => process.kill(zombie, 0)).not.toThrow(); // what a signal-0 check would call alive
      expect(processAlive(holder.pid as number)).toBe(true);
    } finally {
      holder.kill('SIGKILL');
      await new Promise((resolve) => (holder.exitCode !== null || holder.signalCode !== null ? resolve(undefined) : holder.once('exit', resolve)));
    }
  });
});
