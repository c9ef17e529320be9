import { existsSync, statSync } from 'node:fs';
import { loadPolicy, watchPolicy, type Policy, type PolicyWatcher } from '@ffgate/policy';

export interface PolicySource {
  current(): Policy;
  close(): void;
}

/**
 * The role policy in force: a file is watched (a change is handed to `onChange`, a bad change is
 * rejected and the previous policy stays); inline text or nothing (the shipped default) is fixed.
 */
export async function openPolicy(
  source: string | undefined,
  options: { onChange(next: Policy): void; onError(err: unknown): void },
): Promise<PolicySource> {
  let policy: Policy;
  let watcher: PolicyWatcher | undefined;
  if (source && existsSync(source) && statSync(source).isFile()) {
    watcher = await watchPolicy(source, {
      onChange: (next) => {
        policy = next;
        options.onChange(next);
      },
      onError: options.onError,
    });
    policy = watcher.current;
  } else {
    policy = await loadPolicy(source);
  }
  return { current: () => policy, close: () => watcher?.close() };
}
