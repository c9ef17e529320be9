import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configKeys } from '@ffgate/config';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * Every configuration key declared anywhere in the code base: the common keys plus the keys
 * services declare with `configKey(...)` (also when imported under another name). Reading the
 * sources keeps the checks free of a hand-kept list that would drift.
 */
export function declaredKeys(): Set<string> {
  const keys = new Set(configKeys.map((k) => k.env));
  for (const top of ['packages', 'services']) {
    for (const pkg of readdirSync(join(repoRoot, top))) {
      for (const file of sourceFiles(join(repoRoot, top, pkg, 'src'))) {
        for (const match of readFileSync(file, 'utf8').matchAll(/configKey\w*\(\s*['"]([A-Z][A-Z0-9_]*)['"]/g)) keys.add(match[1]);
      }
    }
  }
  return keys;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** Variables ffgate reads that are not ours to declare: OpenTelemetry's standard ones. */
export const isStandardKey = (key: string) => key.startsWith('OTEL_');
