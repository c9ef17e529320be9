import { describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { declaredKeys, repoRoot } from './declared-keys.ts';

const readmePath = join(repoRoot, 'README.md');

// The top-level README is written after this package; until it exists this test is skipped
// (and therefore fails a CI=true run, which requires every test to run).
describe('README configuration table', () => {
  (existsSync(readmePath) ? test : test.skip)('mentions every configuration key (common and per service)', () => {
    const readme = readFileSync(readmePath, 'utf8');
    const missing = [...declaredKeys()].filter((env) => !readme.includes(env));
    expect(missing).toEqual([]);
  });
});
