import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { MediaPathError, commitOutput, discardOutput, parseMediaPath, resolveMediaPath } from '../src/index.ts';

let dir: string;
let root: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ffgate-paths-'));
  root = join(dir, 'media');
  await mkdir(join(root, 'shared', 'clips'), { recursive: true });
  await mkdir(join(root, 'home', 'alice', 'out'), { recursive: true });
  await mkdir(join(root, 'home', 'bob'), { recursive: true });
  await mkdir(join(dir, 'outside'));
  await writeFile(join(root, 'shared', 'clips', 'a.mov'), 'movie');
  await writeFile(join(root, 'home', 'alice', 'mine.mov'), 'alice');
  await writeFile(join(root, 'home', 'alice', 'out', 'taken.mp4'), 'taken');
  await writeFile(join(root, 'home', 'bob', 'secret.mov'), 'bob');
  await writeFile(join(dir, 'outside', 'passwd'), 'root:x:0:0');
  await symlink(join(dir, 'outside', 'passwd'), join(root, 'shared', 'escape.mov'));
  await symlink(join(dir, 'outside'), join(root, 'shared', 'outdir'));
  await symlink(join(root, 'home', 'bob', 'secret.mov'), join(root, 'home', 'alice', 'bobs.mov'));
  await symlink(join(root, 'home', 'bob'), join(root, 'home', 'alice', 'bobdir'));
  await symlink(join(root, 'shared', 'clips'), join(root, 'home', 'alice', 'sharedclips'));
  await symlink(join(dir, 'nowhere'), join(root, 'home', 'alice', 'out', 'dangling.mp4'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function refusal(jobPath: string, forOutput: boolean, owner = 'alice'): Promise<MediaPathError> {
  const err = await resolveMediaPath(root, owner, jobPath, { forOutput: forOutput as false }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MediaPathError);
  expect((err as MediaPathError).status).toBe(400);
  expect((err as MediaPathError).message).not.toContain(root);
  return err as MediaPathError;
}

describe('parseMediaPath (syntax)', () => {
  test.each([
    ['../etc/passwd', /start with shared\/ or home\//],
    ['/etc/passwd', /not absolute/],
    ['shared/../home/bob/secret.mov', /"\." or "\.\."/],
    ['home/./x.mov', /"\." or "\.\."/],
    ['shared\\clips\\a.mov', /backslash/],
    ['shared/a\u0000.mov', /control character/],
    ['concat:shared/a.mov|shared/b.mov', /":"/],
    ['subfile:,start,0,end,100,:shared/a.mov', /":"/],
    ['http://x/a.mp4', /":"/],
    ['file:shared/a.mov', /":"/],
    ['pipe:0', /":"/],
    ['shared/c:x.mov', /":"/],
    ['shared//a.mov', /empty path segment/],
    ['shared/', /empty path segment/],
    ['shared', /must name a file/],
    ['shared/.hidden.mov', /hidden/],
    ['home/.x.mp4.ffgate-1.part', /hidden/],
    ['', /non-empty/],
  ])('%j is refused', (path, message) => {
    expect(() => parseMediaPath(path)).toThrow(message);
    expect(() => parseMediaPath(path)).toThrow(expect.objectContaining({ code: 'FFGATE_MEDIA_PATH_INVALID' }) as unknown as Error);
  });
  test('outputs only under home/', () => {
    expect(() => parseMediaPath('shared/x.mp4', { forOutput: true })).toThrow(expect.objectContaining({ code: 'FFGATE_MEDIA_PATH_FORBIDDEN' }) as unknown as Error);
    expect(parseMediaPath('home/out/x.mp4', { forOutput: true })).toEqual({ area: 'home', segments: ['out', 'x.mp4'] });
  });
  test('non-strings are refused', () => {
    expect(() => parseMediaPath(42)).toThrow(/non-empty string/);
  });
});

describe('resolveMediaPath (filesystem)', () => {
  test('inputs from shared and from the own home', async () => {
    const shared = await resolveMediaPath(root, 'alice', 'shared/clips/a.mov');
    expect(shared.absolutePath).toBe(join(root, 'shared', 'clips', 'a.mov'));
    const mine = await resolveMediaPath(root, 'alice', 'home/mine.mov');
    expect(await readFile(mine.absolutePath, 'utf8')).toBe('alice');
  });
  test('a symlink staying inside the area is fine; home → shared is not (it leaves the home)', async () => {
    await refusal('home/sharedclips/a.mov', false);
  });
  test('symlink in shared pointing outside the media root is refused', async () => {
    expect((await refusal('shared/escape.mov', false)).code).toBe('FFGATE_MEDIA_PATH_FORBIDDEN');
    expect((await refusal('shared/outdir/passwd', false)).code).toBe('FFGATE_MEDIA_PATH_FORBIDDEN');
  });
  test("symlink in a home pointing into another user's home is refused (file and directory)", async () => {
    expect((await refusal('home/bobs.mov', false)).code).toBe('FFGATE_MEDIA_PATH_FORBIDDEN');
    expect((await refusal('home/bobdir/secret.mov', false)).code).toBe('FFGATE_MEDIA_PATH_FORBIDDEN');
    expect((await refusal('home/bobdir/new.mp4', true)).code).toBe('FFGATE_MEDIA_PATH_FORBIDDEN');
  });
  test("another user's home is simply not addressable", async () => {
    expect((await refusal('home/bob/secret.mov', false)).code).toBe('FFGATE_MEDIA_INPUT_NOT_FOUND');
    expect((await refusal('home/x.mov', false, '../bob')).code).toBe('FFGATE_MEDIA_PATH_INVALID');
  });
  test('a FIFO is not a regular file (ffmpeg would block on it)', async () => {
    await execa('mkfifo', [join(root, 'shared', 'fifo.mov')]);
    expect((await refusal('shared/fifo.mov', false)).message).toMatch(/not a regular file/);
  });
  test('missing input and a directory as input are refused', async () => {
    expect((await refusal('shared/clips/none.mov', false)).code).toBe('FFGATE_MEDIA_INPUT_NOT_FOUND');
    expect((await refusal('shared/clips', false)).code).toBe('FFGATE_MEDIA_PATH_INVALID');
  });
  test('outputs: under home only, never an existing name (not even a dangling symlink)', async () => {
    expect((await refusal('shared/new.mp4', true)).code).toBe('FFGATE_MEDIA_PATH_FORBIDDEN');
    expect((await refusal('home/out/taken.mp4', true)).code).toBe('FFGATE_MEDIA_OUTPUT_EXISTS');
    expect((await refusal('home/out/dangling.mp4', true)).code).toBe('FFGATE_MEDIA_OUTPUT_EXISTS');
    expect((await refusal('home/missing-dir/x.mp4', true)).code).toBe('FFGATE_MEDIA_INPUT_NOT_FOUND');
  });
  test('an output gets a hidden temp name in the same directory; a new owner gets a home', async () => {
    const out = await resolveMediaPath(root, 'alice', 'home/out/new.mp4', { forOutput: true });
    expect(out.absolutePath).toBe(join(root, 'home', 'alice', 'out', 'new.mp4'));
    expect(out.tempPath).toMatch(new RegExp(`^${join(root, 'home', 'alice', 'out')}/\\.new\\.mp4\\.ffgate-[0-9a-f]{12}\\.part$`));
    const carol = await resolveMediaPath(root, 'carol', 'home/first.mp4', { forOutput: true });
    expect(carol.absolutePath).toBe(join(root, 'home', 'carol', 'first.mp4'));
  });
});

describe('commitOutput / discardOutput', () => {
  test('commit renames into place and removes the temp name', async () => {
    const out = await resolveMediaPath(root, 'alice', 'home/out/c1.mp4', { forOutput: true });
    await writeFile(out.tempPath, 'encoded');
    await commitOutput(out.tempPath, out.absolutePath);
    expect(await readFile(out.absolutePath, 'utf8')).toBe('encoded');
    expect((await readdir(join(root, 'home', 'alice', 'out'))).filter((n) => n.endsWith('.part'))).toEqual([]);
  });
  test('two jobs racing for one name: exactly one wins, nothing is overwritten', async () => {
    const a = await resolveMediaPath(root, 'alice', 'home/out/race.mp4', { forOutput: true });
    const b = await resolveMediaPath(root, 'alice', 'home/out/race.mp4', { forOutput: true });
    await writeFile(a.tempPath, 'A');
    await writeFile(b.tempPath, 'B');
    const results = await Promise.allSettled([commitOutput(a.tempPath, a.absolutePath), commitOutput(b.tempPath, b.absolutePath)]);
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect((failed[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'FFGATE_MEDIA_OUTPUT_EXISTS' });
    const winner = results[0].status === 'fulfilled' ? 'A' : 'B';
    expect(await readFile(a.absolutePath, 'utf8')).toBe(winner);
    expect((await readdir(join(root, 'home', 'alice', 'out'))).filter((n) => n.endsWith('.part'))).toEqual([]);
  });
  test('discard removes a partial output and tolerates a missing one', async () => {
    const out = await resolveMediaPath(root, 'alice', 'home/out/d.mp4', { forOutput: true });
    await writeFile(out.tempPath, 'partial');
    await discardOutput(out.tempPath);
    await discardOutput(out.tempPath);
    expect((await readdir(join(root, 'home', 'alice', 'out'))).some((n) => n.startsWith('.d.mp4'))).toBe(false);
  });
});
