import { z } from 'zod';

/**
 * Identity state as carried by every `identity.*` event: the SCIM resource's full state
 * except secrets (a user's password is never stored, let alone published).
 */
const str = z.string().nullable();

export const MultiValuedAttribute = z
  .object({
    value: z.string().optional(),
    display: z.string().optional(),
    type: z.string().optional(),
    primary: z.boolean().optional(),
  })
  .loose();
export type MultiValuedAttribute = z.infer<typeof MultiValuedAttribute>;

export const GroupRef = z.object({ id: z.string(), displayName: z.string() });
export type GroupRef = z.infer<typeof GroupRef>;

export const EnterpriseUser = z.object({
  employeeNumber: str,
  costCenter: str,
  organization: str,
  division: str,
  department: str,
  manager: z.object({ value: z.string(), displayName: str }).nullable(),
});
export type EnterpriseUser = z.infer<typeof EnterpriseUser>;

export const UserState = z.object({
  id: z.string(),
  userName: z.string(),
  externalId: str,
  active: z.boolean(),
  displayName: str,
  nickName: str,
  profileUrl: str,
  title: str,
  userType: str,
  preferredLanguage: str,
  locale: str,
  timezone: str,
  name: z
    .object({
      formatted: str.optional(),
      familyName: str.optional(),
      givenName: str.optional(),
      middleName: str.optional(),
      honorificPrefix: str.optional(),
      honorificSuffix: str.optional(),
    })
    .nullable(),
  emails: z.array(MultiValuedAttribute),
  phoneNumbers: z.array(MultiValuedAttribute),
  ims: z.array(MultiValuedAttribute),
  photos: z.array(MultiValuedAttribute),
  addresses: z.array(z.record(z.string(), z.unknown())),
  entitlements: z.array(MultiValuedAttribute),
  roles: z.array(MultiValuedAttribute),
  x509Certificates: z.array(MultiValuedAttribute),
  enterprise: EnterpriseUser,
  groups: z.array(GroupRef),
});
export type UserState = z.infer<typeof UserState>;

export const GroupMember = z.object({ id: z.string(), displayName: str, type: z.enum(['User', 'Group']) });
export type GroupMember = z.infer<typeof GroupMember>;

export const GroupState = z.object({
  id: z.string(),
  displayName: z.string(),
  externalId: str,
  members: z.array(GroupMember),
});
export type GroupState = z.infer<typeof GroupState>;

/**
 * A complete UserState with every optional attribute unset; `overrides` fill in what matters.
 * For producers that start from little (tests, fixtures, the policy's examples).
 */
export function blankUserState(overrides: Partial<UserState> & Pick<UserState, 'id' | 'userName'>): UserState {
  return {
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
    enterprise: { employeeNumber: null, costCenter: null, organization: null, division: null, department: null, manager: null },
    groups: [],
    ...overrides,
  };
}
