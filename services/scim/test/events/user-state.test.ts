import { describe, expect, test } from '@jest/globals';
import { blankUserState, UserState } from '@ffgate/contracts';
import { ENTERPRISE_USER_URN, toUserState, userUpdateEventType } from '../../src/events/index.ts';

const base = { id: 'u1', userName: 'alice', externalId: null, active: true, groups: [] };

describe('toUserState', () => {
  test('a minimal user: every attribute present, null or empty when absent', () => {
    const state = toUserState({ ...base, resource: { userName: 'alice' } });
    expect(UserState.parse(state)).toEqual(state);
    expect(state).toEqual(blankUserState({ id: 'u1', userName: 'alice' }));
  });

  test('a full user maps every core and enterprise attribute', () => {
    const state = toUserState({
      ...base,
      externalId: '00u1',
      active: false,
      groups: [{ id: 'g1', displayName: 'Eng' }],
      resource: {
        userName: 'alice',
        displayName: 'Alice L',
        nickName: 'al',
        profileUrl: 'https://x/alice',
        title: 'Dev',
        userType: 'Employee',
        preferredLanguage: 'en-GB',
        locale: 'en-GB',
        timezone: 'Europe/London',
        name: { givenName: 'Alice', familyName: 'Liddell', formatted: 'Alice Liddell' },
        emails: [{ value: 'a@x', type: 'work', primary: true }],
        phoneNumbers: [{ value: '+44', type: 'mobile' }],
        ims: [{ value: 'alice', type: 'xmpp' }],
        photos: [{ value: 'https://x/p.png', type: 'photo' }],
        addresses: [{ streetAddress: '1 Rd', country: 'GB', type: 'work' }],
        entitlements: [{ value: 'transcode' }],
        roles: [{ value: 'admin', display: 'Admin' }],
        x509Certificates: [{ value: 'MIIB' }],
        [ENTERPRISE_USER_URN]: {
          employeeNumber: '42',
          costCenter: 'cc',
          organization: 'org',
          division: 'div',
          department: 'dep',
          manager: { value: 'm1', displayName: 'Boss', $ref: '../Users/m1' },
        },
      },
    });
    expect(UserState.parse(state)).toEqual(state);
    expect(state).toMatchObject({
      externalId: '00u1',
      active: false,
      displayName: 'Alice L',
      timezone: 'Europe/London',
      name: { givenName: 'Alice', familyName: 'Liddell', formatted: 'Alice Liddell', middleName: null },
      emails: [{ value: 'a@x', type: 'work', primary: true }],
      addresses: [{ streetAddress: '1 Rd', country: 'GB', type: 'work' }],
      roles: [{ value: 'admin', display: 'Admin' }],
      enterprise: { employeeNumber: '42', department: 'dep', manager: { value: 'm1', displayName: 'Boss' } },
      groups: [{ id: 'g1', displayName: 'Eng' }],
    });
  });

  test('IdP shapes: Entra bare-string manager, OneLogin single object, string booleans, nulls, wrong-case keys', () => {
    const state = toUserState({
      ...base,
      resource: {
        userName: 'alice',
        Title: 'Dev',
        emails: { value: 'a@x', primary: 'True', display: null },
        phoneNumbers: [null, { value: 5551234, type: 'work' }],
        roles: null,
        [ENTERPRISE_USER_URN.toLowerCase()]: { manager: 'm7', department: null },
      },
    });
    expect(UserState.parse(state)).toEqual(state);
    expect(state.title).toBe('Dev');
    expect(state.emails).toEqual([{ value: 'a@x', primary: true }]);
    expect(state.phoneNumbers).toEqual([{ value: '5551234', type: 'work' }]);
    expect(state.roles).toEqual([]);
    expect(state.enterprise.manager).toEqual({ value: 'm7', displayName: null });
    expect(state.enterprise.department).toBeNull();
  });

  test('a manager without a value is no manager', () => {
    const state = toUserState({ ...base, resource: { [ENTERPRISE_USER_URN]: { manager: { displayName: 'x' } } } });
    expect(state.enterprise.manager).toBeNull();
  });
});

describe('userUpdateEventType', () => {
  test.each([
    [true, false, 'identity.user.deactivated'],
    [false, true, 'identity.user.reactivated'],
    [true, true, 'identity.user.updated'],
    [false, false, 'identity.user.updated'],
  ])('active %s → %s is %s', (was, is, type) => {
    expect(userUpdateEventType(was, is)).toBe(type);
  });
});
