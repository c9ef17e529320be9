import { describe, expect, test } from '@jest/globals';
import { JobSpecError, validateJobSpec } from '../src/index.ts';

const ok = { profile: 'h264-720p', input: 'shared/clips/a.mov', output: 'home/out/a.mp4', metadata: { ticket: 'BR-1' } };

function issuesOf(body: unknown): string[] {
  try {
    validateJobSpec(body);
  } catch (err) {
    expect(err).toBeInstanceOf(JobSpecError);
    expect((err as JobSpecError).code).toBe('FFGATE_JOB_SPEC_INVALID');
    expect((err as JobSpecError).status).toBe(400);
    return [...(err as JobSpecError).issues];
  }
  throw new Error('expected the spec to be refused');
}

describe('validateJobSpec', () => {
  test('accepts a good spec and returns the profile', () => {
    const spec = validateJobSpec(ok);
    expect(spec.profileDef.name).toBe('h264-720p');
    expect(spec.metadata).toEqual({ ticket: 'BR-1' });
    expect(validateJobSpec({ ...ok, metadata: undefined }).metadata).toBeUndefined();
  });
  test('refuses extra keys (no ffmpeg arguments from users)', () => {
    expect(issuesOf({ ...ok, args: ['-i', 'x'] }).join()).toMatch(/args/);
  });
  test('refuses missing fields and wrong types', () => {
    expect(issuesOf({ profile: 'h264-720p' })).toEqual(expect.arrayContaining([expect.stringMatching(/^input:/), expect.stringMatching(/^output:/)]));
    expect(issuesOf('nope').length).toBeGreaterThan(0);
    expect(issuesOf({ ...ok, metadata: [1, 2] }).join()).toMatch(/metadata/);
  });
  test('metadata above 16 KiB is refused', () => {
    expect(issuesOf({ ...ok, metadata: { blob: 'x'.repeat(16 * 1024) } })).toEqual(['metadata: larger than 16384 bytes as JSON']);
  });
  test('unknown profile and bad paths are all reported together', () => {
    const issues = issuesOf({ ...ok, profile: 'vp9', input: 'shared/../etc/passwd', output: 'shared/x.mp4' });
    expect(issues).toEqual([
      expect.stringMatching(/^profile: unknown profile "vp9"/),
      expect.stringMatching(/^input: input must not contain "\." or "\.\." segments/),
      'output: output must be under home/ (shared/ is read-only)',
    ]);
  });
});
