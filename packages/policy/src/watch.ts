import { existsSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Policy } from './compile.ts';
import { loadPolicy, loadPolicyFile } from './load.ts';

export interface PolicyWatchOptions {
  /** called with the new policy after a change that validates and differs in content */
  onChange(policy: Policy): void;
  /** called when a changed file is invalid (or unreadable); the previous policy stays in force */
  onError(error: unknown): void;
  /** quiet period after the last file event before reloading (editors write in several steps) */
  debounceMs?: number;
}

export interface PolicyWatcher {
  /** the policy in force */
  readonly current: Policy;
  /** re-read the file now; resolves with the policy in force afterwards (the old one if invalid) */
  reload(): Promise<Policy>;
  /** stop watching; idempotent */
  close(): void;
}

/**
 * Load `path` (throws PolicyError if invalid: a service must not start on a bad policy) and keep
 * it current. Watches the directory, not the file: editors and config-map updates replace the
 * file by rename, which ends a watch on the old inode.
 */
export async function watchPolicy(path: string, options: PolicyWatchOptions): Promise<PolicyWatcher> {
  const file = resolve(path);
  const debounceMs = options.debounceMs ?? 100;
  let current = await loadPolicyFile(file);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let chain: Promise<Policy> = Promise.resolve(current);

  // reloads run one after another so a slow read cannot overwrite a newer result
  const reload = (): Promise<Policy> => {
    chain = chain.then(async () => {
      if (closed) return current;
      try {
        const next = await loadPolicyFile(file);
        if (next.digest !== current.digest) {
          current = next;
          options.onChange(next);
        }
      } catch (err) {
        options.onError(err);
      }
      return current;
    });
    return chain;
  };

  const watcher: FSWatcher = watch(dirname(file), (_event, name) => {
    if (closed || (name !== null && name !== basename(file))) return;
    clearTimeout(timer);
    timer = setTimeout(() => void reload(), debounceMs);
  });
  watcher.on('error', (err) => options.onError(err));

  return {
    get current() {
      return current;
    },
    reload,
    close() {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      watcher.close();
    },
  };
}

/**
 * The policy a service is configured with (FFGATE_POLICY), kept current: a file is watched as
 * above; inline text or nothing (the shipped default) is fixed, and `reload()` returns it.
 */
export async function openPolicy(source: string | undefined, options: PolicyWatchOptions): Promise<PolicyWatcher> {
  if (source && existsSync(source) && statSync(source).isFile()) return watchPolicy(source, options);
  const current = await loadPolicy(source);
  return { current, reload: async () => current, close: () => undefined };
}
