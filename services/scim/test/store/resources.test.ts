import { describe, expect, test } from '@jest/globals';
import { InvalidValueError } from '../../src/store/index.ts';
import { toGroupRecord, toUserRecord } from '../../src/store/resources.ts';
import { canonicalJson } from '../../src/store/json.ts';

describe('toUserRecord', () => {
  test('strips id, meta, groups and password (any case) and nulls; copies the columns', () => {
    const r = toUserRecord({ id: 'x', Meta: {}, groups: [], PASSWORD: 'p', userName: 'Al', externalId: 'e', manager: null, name: { givenName: null, familyName: 'L' } });
    expect(r).toEqual({ resource: { userName: 'Al', externalId: 'e', active: true, name: { familyName: 'L' } }, userName: 'Al', externalId: 'e', active: true });
  });

  test('active: booleans, "True"/"false" strings; anything else is invalid', () => {
    expect(toUserRecord({ userName: 'a', active: 'FALSE' }).active).toBe(false);
    expect(toUserRecord({ userName: 'a', Active: false }).resource).toEqual({ userName: 'a', active: false });
    expect(() => toUserRecord({ userName: 'a', active: 'nope' })).toThrow(InvalidValueError);
  });

  test('userName is required; externalId must be a string', () => {
    expect(() => toUserRecord({ userName: '  ' })).toThrow(/userName/);
    expect(() => toUserRecord({ userName: 'a', externalId: 5 })).toThrow(/externalId/);
  });
});

describe('toGroupRecord', () => {
  test('members leave the resource, de-duplicated in order; a single object is accepted', () => {
    expect(toGroupRecord({ displayName: 'G', members: [{ value: 'b' }, { value: 'a', $ref: null }, { value: 'b' }] })).toEqual({
      resource: { displayName: 'G' },
      displayName: 'G',
      externalId: null,
      memberIds: ['b', 'a'],
    });
    expect(toGroupRecord({ displayName: 'G', members: { value: 'a' } }).memberIds).toEqual(['a']);
  });

  test('nested groups and members without value are refused', () => {
    expect(() => toGroupRecord({ displayName: 'G', members: [{ value: 'g2', type: 'Group' }] })).toThrow(/nested groups/);
    expect(() => toGroupRecord({ displayName: 'G', members: [{ display: 'x' }] })).toThrow(InvalidValueError);
    expect(() => toGroupRecord({ members: [] })).toThrow(/displayName/);
  });
});

describe('canonicalJson', () => {
  test('ignores key order, keeps array order', () => {
    expect(canonicalJson({ a: 1, b: { c: [2, 1], d: null } })).toBe(canonicalJson({ b: { d: null, c: [2, 1] }, a: 1 }));
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });
});
