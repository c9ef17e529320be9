import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** An executable from an env override, well-known paths, or PATH; undefined when none exists. */
export function findExecutable(name: string, envVar: string, knownPaths: string[] = []): string | undefined {
  const candidates = [process.env[envVar], ...knownPaths, ...(process.env.PATH ?? '').split(delimiter).map((dir) => dir && join(dir, name))];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next one
    }
  }
  return undefined;
}
