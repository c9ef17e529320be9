import { describe, expect, it } from '@jest/globals';
import {
  ContractError,
  identityEventTypes,
  identitySubject,
  identityTypeOfSubject,
  scimEventUriOf,
  validateEvent,
  type UserState,
} from '../src/index.ts';

const user: UserState = {
  id: 'u1',
  userName: 'ada@example.com',
  externalId: null,
  active: true,
  displayName: 'Ada',
  nickName: null,
  profileUrl: null,
  title: null,
  userType: null,
  preferredLanguage: null,
  locale: null,
  timezone: null,
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
  phoneNumbers: [],
  ims: [],
  photos: [],
  addresses: [],
  entitlements: [],
  roles: [],
  x509Certificates: [],
  enterprise: { employeeNumber: '7', costCenter: null, organization: null, division: null, department: 'Broadcast', manager: null },
  groups: [{ id: 'g1', displayName: 'Editors' }],
};

function event(type: string, data: unknown = user) {
  return { id: 'e1', type, time: '2026-12-04T10:00:00.000Z', resourceId: 'u1', version: 3, actor: 'okta-prod', data };
}

describe('identity event contracts', () => {
  it('accepts a valid event on its concrete subject', () => {
    const subject = identitySubject('identity.user.deactivated', 'u1');
    expect(subject).toBe('identity.user.deactivated.u1');
    const parsed = validateEvent<{ version: number }>(subject, event('identity.user.deactivated'));
    expect(parsed.version).toBe(3);
  });

  it('rejects an event whose type does not match its subject', () => {
    expect(() => validateEvent('identity.user.deleted.u1', event('identity.user.created'))).toThrow(ContractError);
  });

  it('rejects a user event missing enterprise attributes, with the issues attached', () => {
    const { enterprise: _e, ...partial } = user;
    try {
      validateEvent('identity.user.updated.u1', event('identity.user.updated', partial));
      throw new Error('expected a ContractError');
    } catch (e) {
      expect(e).toBeInstanceOf(ContractError);
      expect((e as ContractError).code).toBe('FFGATE_CONTRACT_INVALID');
      expect(JSON.stringify((e as ContractError).issues)).toContain('enterprise');
    }
  });

  it('rejects a non-positive version and subjects without a contract', () => {
    expect(() => validateEvent('identity.user.updated.u1', { ...event('identity.user.updated'), version: 0 })).toThrow(
      ContractError,
    );
    expect(() => validateEvent('something.else', event('identity.user.updated'))).toThrow(/no contract/);
  });

  it('validates group events with members', () => {
    const group = { id: 'g1', displayName: 'Editors', externalId: null, members: [{ id: 'u1', displayName: 'Ada', type: 'User' }] };
    const e = { ...event('identity.group.updated', group), resourceId: 'g1' };
    expect(validateEvent<{ data: { members: unknown[] } }>('identity.group.updated.g1', e).data.members).toHaveLength(1);
  });

  it('maps every event type to an RFC 9967 SCIM event URI', () => {
    for (const t of identityEventTypes) expect(scimEventUriOf[t]).toMatch(/^urn:ietf:params:SCIM:event:prov:/);
    expect(scimEventUriOf['identity.user.deactivated']).toBe('urn:ietf:params:SCIM:event:prov:deactivate');
    expect(identityTypeOfSubject('identity.group.deleted.g9')).toBe('identity.group.deleted');
    expect(identityTypeOfSubject('jobs.default')).toBeUndefined();
  });
});
