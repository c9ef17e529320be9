import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@ffgate/testing';
import { PolicyError, evaluate, loadPolicy, openPolicy, watchPolicy, type Policy, type PolicyWatcher } from '@ffgate/policy';
import { user } from './users.ts';

const policyText = (maxRunning: number) =>
  `version: 1\ndefaults: { profiles: [h264-720p], queues: [default], maxRunning: ${maxRunning}, maxQueued: 100 }\n`;

describe('watchPolicy', () => {
  let dir: string;
  let file: string;
  let watcher: PolicyWatcher | undefined;
  const changes: Policy[] = [];
  const errors: unknown[] = [];
  const handlers = { onChange: (p: Policy) => changes.push(p), onError: (e: unknown) => errors.push(e), debounceMs: 20 };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ffgate-policy-'));
    file = join(dir, 'policy.yaml');
    await writeFile(file, policyText(2));
    changes.length = 0;
    errors.length = 0;
  });
  afterEach(async () => {
    watcher?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses to start on an invalid file', async () => {
    await writeFile(file, 'version: 1\n');
    await expect(watchPolicy(file, handlers)).rejects.toBeInstanceOf(PolicyError);
  });

  it('picks up an edit, keeps the old policy on an invalid edit, then recovers', async () => {
    watcher = await watchPolicy(file, handlers);
    expect(evaluate(watcher.current, user()).maxRunning).toBe(2);

    await writeFile(file, policyText(3));
    await waitFor(() => changes.length === 1, { message: 'policy change not seen' });
    expect(evaluate(watcher.current, user()).maxRunning).toBe(3);
    errors.length = 0; // a read racing the write above may have reported a half-written file

    await writeFile(file, 'version: 1\ndefaults: { profiles: [BAD NAME] }\n');
    await waitFor(() => errors.length >= 1, { message: 'invalid edit not reported' });
    expect(errors[0]).toBeInstanceOf(PolicyError);
    expect(changes).toHaveLength(1);
    expect(evaluate(watcher.current, user()).maxRunning).toBe(3);

    // editors and config maps replace the file by rename: still seen
    const tmp = join(dir, '.policy.yaml.tmp');
    await writeFile(tmp, policyText(5));
    await rename(tmp, file);
    await waitFor(() => changes.length === 2, { message: 'replaced file not seen' });
    expect(evaluate(watcher.current, user()).maxRunning).toBe(5);
  });

  it('reload() re-reads on demand and ignores unchanged content', async () => {
    watcher = await watchPolicy(file, { ...handlers, debounceMs: 60_000 });
    const before = watcher.current;
    expect(await watcher.reload()).toBe(before);
    expect(changes).toHaveLength(0);

    await writeFile(file, policyText(7));
    const after = await watcher.reload();
    expect(evaluate(after, user()).maxRunning).toBe(7);
    expect(changes).toEqual([after]);

    await writeFile(file, '{ not yaml: [');
    expect(await watcher.reload()).toBe(after);
    expect(errors).toHaveLength(1);
  });
});

describe('openPolicy', () => {
  const handlers = { onChange: () => undefined, onError: () => undefined, debounceMs: 60_000 };

  it('watches a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ffgate-policy-'));
    const file = join(dir, 'policy.yaml');
    await writeFile(file, policyText(2));
    const watcher = await openPolicy(file, handlers);
    try {
      await writeFile(file, policyText(4));
      expect(evaluate(await watcher.reload(), user()).maxRunning).toBe(4);
      expect(evaluate(watcher.current, user()).maxRunning).toBe(4);
    } finally {
      watcher.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps inline text and the shipped default fixed', async () => {
    const inline = await openPolicy(policyText(6), handlers);
    expect(evaluate(inline.current, user()).maxRunning).toBe(6);
    expect(await inline.reload()).toBe(inline.current);
    inline.close();

    const shipped = await openPolicy(undefined, handlers);
    expect(shipped.current.digest).toBe((await loadPolicy()).digest);
    expect(await shipped.reload()).toBe(shipped.current);
  });

  it('refuses a missing file', async () => {
    await expect(openPolicy(join(tmpdir(), 'ffgate-no-such-policy.yaml'), handlers)).rejects.toBeInstanceOf(PolicyError);
  });
});
