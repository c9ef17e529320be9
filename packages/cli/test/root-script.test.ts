import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { ffgate } from './support.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('`pnpm ffgate …` from the repository root', () => {
  const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.ffgate;

  test('the root script runs this package\'s binary with node', () => {
    expect(script).toBe('node packages/cli/src/main.ts');
  });

  test('the path it names starts the CLI (help, exit 0)', async () => {
    const result = await ffgate(['--help'], {}, join(root, script.split(' ')[1]));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('usage: ffgate <command> [options]');
  });
});
