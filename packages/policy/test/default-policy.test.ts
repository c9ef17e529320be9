import { describe, expect, it } from '@jest/globals';
import { evaluate, loadPolicy } from '@ffgate/policy';
import { user } from './users.ts';

describe('the shipped default policy', () => {
  it('gives a Sales user the baseline only', async () => {
    const policy = await loadPolicy();
    expect(evaluate(policy, user({ department: 'Sales' }))).toEqual({
      profiles: ['h264-720p'],
      queues: ['default'],
      maxRunning: 2,
      maxQueued: 100,
      matchedRules: [],
    });
  });

  it('recognises the Broadcast department in any case', async () => {
    const policy = await loadPolicy();
    for (const department of ['broadcast', 'BROADCAST', ' Broadcast ']) {
      expect(evaluate(policy, user({ department }))).toEqual({
        profiles: ['h264-1080p', 'h264-720p', 'hevc-1080p'],
        queues: ['broadcast', 'default'],
        maxRunning: 4,
        maxQueued: 100,
        matchedRules: ['broadcast'],
      });
    }
  });

  it('adds audio-aac for members of Editors (group name in any case)', async () => {
    const policy = await loadPolicy();
    const editor = user({ department: 'Sales', groups: [{ id: 'g-1', displayName: 'editors' }] });
    expect(evaluate(policy, editor)).toMatchObject({ profiles: ['audio-aac', 'h264-720p'], queues: ['default'], maxRunning: 2, matchedRules: ['editors'] });
  });

  it('combines rules: a Broadcast editor gets the union and the larger limit', async () => {
    const policy = await loadPolicy();
    const both = user({ department: 'broadcast', groups: [{ id: 'g-9', displayName: 'Other' }, { id: 'g-1', displayName: 'Editors' }] });
    expect(evaluate(policy, both)).toEqual({
      profiles: ['audio-aac', 'h264-1080p', 'h264-720p', 'hevc-1080p'],
      queues: ['broadcast', 'default'],
      maxRunning: 4,
      maxQueued: 100,
      matchedRules: ['broadcast', 'editors'],
    });
  });

  it('gives an inactive user nothing at all, whatever matches', async () => {
    const policy = await loadPolicy();
    const inactive = user({ active: false, department: 'Broadcast', groups: [{ id: 'g-1', displayName: 'Editors' }] });
    expect(evaluate(policy, inactive)).toEqual({ profiles: [], queues: [], maxRunning: 0, maxQueued: 0, matchedRules: [] });
  });

  it('is what an unset FFGATE_POLICY loads, and is frozen', async () => {
    const fromEnv = await loadPolicy(''); // FFGATE_POLICY set but empty counts as unset
    const shipped = await loadPolicy();
    expect(fromEnv.digest).toBe(shipped.digest);
    expect(Object.isFrozen(fromEnv.document.defaults.profiles)).toBe(true);
  });
});
