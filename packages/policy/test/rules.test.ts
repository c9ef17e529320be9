import { describe, expect, it } from '@jest/globals';
import { evaluate, lostGrants, parsePolicy } from '@ffgate/policy';
import { user } from './users.ts';

const base = { version: 1, defaults: { profiles: ['h264-720p'], queues: ['default'], maxRunning: 1, maxQueued: 10 } };

describe('rule language', () => {
  it('reads JSON and YAML into the same policy', () => {
    const json = parsePolicy(JSON.stringify({ ...base, rules: [{ name: 'r', match: { title: 'Editor' }, grant: { maxQueued: 50 } }] }));
    const yaml = parsePolicy(
      'version: 1\ndefaults:\n  profiles: [h264-720p]\n  queues: [default]\n  maxRunning: 1\n  maxQueued: 10\nrules:\n  - name: r\n    match: { title: Editor }\n    grant: { maxQueued: 50 }\n',
    );
    expect(json.digest).toBe(yaml.digest);
    expect(evaluate(yaml, user({ title: 'editor' })).maxQueued).toBe(50);
  });

  it('treats a list as any-of and several keys as all-of', () => {
    const policy = parsePolicy(
      JSON.stringify({
        ...base,
        rules: [{ name: 'night-desk', match: { department: ['News', 'Sport'], costCenter: 'CC-7' }, grant: { queues: ['night'] } }],
      }),
    );
    const withCc = (department: string, costCenter: string | null) =>
      user({ enterprise: { employeeNumber: null, costCenter, organization: null, division: null, department, manager: null } });
    expect(evaluate(policy, withCc('sport', 'cc-7')).queues).toEqual(['default', 'night']);
    expect(evaluate(policy, withCc('News', 'CC-8')).queues).toEqual(['default']);
    expect(evaluate(policy, withCc('Sales', 'CC-7')).queues).toEqual(['default']);
  });

  it('matches enterprise and core attributes: manager, employeeNumber, email, userType', () => {
    const policy = parsePolicy(
      JSON.stringify({
        ...base,
        rules: [
          { name: 'boss-team', match: { manager: 'Grace Hopper' }, grant: { profiles: ['prores'] } },
          { name: 'emp', match: { employeeNumber: '42' }, grant: { maxRunning: 8 } },
          { name: 'mail', match: { email: 'ADA@EXAMPLE.COM', userType: 'Employee' }, grant: { queues: ['mail'] } },
        ],
      }),
    );
    const u = user({
      userType: 'employee',
      emails: [{ value: 'ada@example.com', primary: true }],
      enterprise: { employeeNumber: '42', costCenter: null, organization: null, division: null, department: null, manager: { value: 'm-1', displayName: 'Grace Hopper' } },
    });
    expect(evaluate(policy, u)).toEqual({
      profiles: ['h264-720p', 'prores'],
      queues: ['default', 'mail'],
      maxRunning: 8,
      maxQueued: 10,
      matchedRules: ['boss-team', 'emp', 'mail'],
    });
    // null attributes never match
    expect(evaluate(policy, user()).matchedRules).toEqual([]);
  });

  it('lostGrants names what a change took away', () => {
    const before = { profiles: ['audio-aac', 'h264-1080p', 'h264-720p'], queues: ['broadcast', 'default'] };
    const after = { profiles: ['h264-720p'], queues: ['default'] };
    expect(lostGrants(before, after)).toEqual({ profiles: ['audio-aac', 'h264-1080p'], queues: ['broadcast'], any: true });
    expect(lostGrants(after, before)).toEqual({ profiles: [], queues: [], any: false });
  });
});
