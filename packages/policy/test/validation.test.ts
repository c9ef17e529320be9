import { describe, expect, it } from '@jest/globals';
import { PolicyError, loadPolicy, parsePolicy } from '@ffgate/policy';

function issuesOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    expect((err as PolicyError).code).toBe('FFGATE_POLICY_INVALID');
    return [...(err as PolicyError).issues];
  }
  throw new Error('expected a PolicyError');
}

describe('policy validation', () => {
  it('reports every problem at once, with paths', () => {
    const text = `
version: 1
defaults: { profiles: [h264-720p], queues: [default], maxRunning: 2 }
rules:
  - name: a
    match: { department: Broadcast, departmnet: Sales }
    grant: { profiles: [H264 1080p] }
  - name: a
    match: { group: Editors }
    grant: { queues: [ok] }
  - name: c
    match: {}
    grant: { maxRunning: -1, colour: blue }
`;
    const issues = issuesOf(() => parsePolicy(text));
    const paths = issues.map((i) => i.path).sort();
    expect(paths).toEqual(
      [
        'defaults.maxQueued',
        'rules[0].match.departmnet',
        'rules[0].grant.profiles[0]',
        'rules[1].name',
        'rules[2].match',
        'rules[2].grant.maxRunning',
        'rules[2].grant.colour',
      ].sort(),
    );
    expect(issues.find((i) => i.path === 'rules[0].match.departmnet')?.message).toMatch(/unknown key.*department/);
    expect(issues.find((i) => i.path === 'rules[1].name')?.message).toMatch(/duplicate.*rules\[0\]/);
  });

  it('lists the problems in the error message too', () => {
    try {
      parsePolicy('{"version": 2, "defaults": {}}');
      throw new Error('expected a PolicyError');
    } catch (err) {
      expect((err as Error).message).toMatch(/version/);
      expect((err as Error).message).toMatch(/defaults\.profiles/);
      expect((err as PolicyError).issues.length).toBeGreaterThanOrEqual(5);
    }
  });

  it('rejects YAML and JSON syntax errors with a position', () => {
    expect(issuesOf(() => parsePolicy('version: 1\ndefaults: [unclosed\n'))[0].message).toMatch(/YAML .* line/);
    expect(issuesOf(() => parsePolicy('{"version": 1,', { source: 'p.json' }))[0].message).toMatch(/not valid JSON/);
  });

  it('rejects duplicate YAML keys instead of silently keeping the last', () => {
    const text = 'version: 1\ndefaults: { profiles: [a], queues: [b], maxRunning: 1, maxQueued: 1 }\ndefaults: {}\n';
    expect(issuesOf(() => parsePolicy(text))[0].message).toMatch(/YAML/);
  });

  it('reports an unreadable file as a policy error', async () => {
    await expect(loadPolicy('/nonexistent/policy.yaml')).rejects.toMatchObject({ code: 'FFGATE_POLICY_INVALID', source: '/nonexistent/policy.yaml' });
  });
});
