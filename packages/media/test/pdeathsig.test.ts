import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describeWithFfmpeg, processAlive, waitFor } from '@ffgate/testing';
import { SETPRIV_PATH } from '../src/index.ts';

const fixture = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'spawn-ffmpeg.ts');
// an endless encode (the runner is thin: a worker's own args go through it unchanged)
const endless = ['-hide_banner', '-nostdin', '-v', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=10', '-f', 'null', '-'];

describeWithFfmpeg('pdeathsig: ffmpeg dies with its worker', () => {
  let dir: string;
  const strays: number[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ffgate-pdeath-'));
  });
  afterAll(async () => {
    for (const pid of strays) if (processAlive(pid)) process.kill(pid, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  async function startWorker(mode: string): Promise<{ worker: ReturnType<typeof execa>; ffmpegPid: number }> {
    const worker = execa(process.execPath, [fixture, JSON.stringify(endless), mode], { reject: false, cwd: dir, buffer: false, stdin: 'ignore' });
    const ffmpegPid = await new Promise<number>((resolve, reject) => {
      worker.stdout?.once('data', (chunk: Buffer) => resolve((JSON.parse(chunk.toString()) as { pid: number }).pid));
      worker.then((r) => reject(new Error(`worker exited early: ${r.stderr ?? r.shortMessage}`)), reject);
    });
    strays.push(ffmpegPid);
    expect(processAlive(ffmpegPid)).toBe(true);
    expect(ffmpegPid).not.toBe(worker.pid);
    return { worker, ffmpegPid };
  }

  test('setpriv is present on this machine (util-linux)', () => {
    expect(SETPRIV_PATH).toBeDefined();
  });

  test('SIGKILL of the worker → its ffmpeg disappears', async () => {
    const { worker, ffmpegPid } = await startWorker('pdeathsig');
    // setpriv and nice exec in place: the pid becomes ffmpeg once the chain has run
    await waitFor(async () => (await readComm(ffmpegPid)) === 'ffmpeg', { message: `pid ${ffmpegPid} never became ffmpeg` });
    worker.kill('SIGKILL');
    expect((await worker).signal).toBe('SIGKILL');
    await waitFor(() => !processAlive(ffmpegPid), { message: `ffmpeg ${ffmpegPid} outlived its SIGKILLed worker` });
  });

  test('control: without pdeathsig the orphan keeps running', async () => {
    const { worker, ffmpegPid } = await startWorker('no-pdeathsig');
    worker.kill('SIGKILL');
    await worker;
    // the parent is gone and reaped; the orphan was reparented and still encodes
    expect(processAlive(worker.pid as number)).toBe(false);
    expect(processAlive(ffmpegPid)).toBe(true);
    process.kill(ffmpegPid, 'SIGKILL');
    await waitFor(() => !processAlive(ffmpegPid));
  });
});

async function readComm(pid: number): Promise<string> {
  return (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
}
