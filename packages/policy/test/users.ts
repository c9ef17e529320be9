import type { UserState } from '@ffgate/contracts';

/** A complete UserState with everything empty; tests override what they care about. */
export function user(overrides: Partial<UserState> & { department?: string | null } = {}): UserState {
  const { department = null, ...rest } = overrides;
  return {
    id: 'u-1',
    userName: 'ada@example.com',
    externalId: null,
    active: true,
    displayName: null,
    nickName: null,
    profileUrl: null,
    title: null,
    userType: null,
    preferredLanguage: null,
    locale: null,
    timezone: null,
    name: null,
    emails: [],
    phoneNumbers: [],
    ims: [],
    photos: [],
    addresses: [],
    entitlements: [],
    roles: [],
    x509Certificates: [],
    enterprise: { employeeNumber: null, costCenter: null, organization: null, division: null, department, manager: null },
    groups: [],
    ...rest,
  };
}
