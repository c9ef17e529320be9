/**
 * What each IdP really sends, as literal request sequences (see /work/shared/IDP-NOTES.md for the
 * sources). Unit tests normalise these bodies; end-to-end tests replay them through the full
 * stack. Server-assigned ids are `{{placeholders}}`: fill them with `fillIds`.
 */

export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface IdpRequest {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** relative to the SCIM base URL, e.g. `/Users/{{userId}}` */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Replaces every `{{name}}` in strings (paths, query values, bodies) with `ids[name]`. */
export function fillIds<T>(value: T, ids: Record<string, string>): T {
  const fill = (text: string): string => text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => ids[name] ?? whole);
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return fill(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([key, child]) => [fill(key), walk(child)]));
    return node;
  };
  return walk(value) as T;
}

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

// --- Microsoft Entra ID ---------------------------------------------------------------------
export const entra = {
  testConnection: { name: 'Entra ID: test connection', method: 'GET', path: '/Users', query: { filter: 'userName eq "5c0a9d2e-6f13-4c8e-9b1a-3d7e2f4a8b61"' } },
  lookupByUserName: { name: 'Entra ID: lookup by userName', method: 'GET', path: '/Users', query: { filter: 'userName eq "Ryan.Wilson@contoso.com"' } },
  lookupByExternalId: { name: 'Entra ID: lookup by externalId', method: 'GET', path: '/Users', query: { filter: 'externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"' } },
  lookupByWorkEmail: { name: 'Entra ID: lookup by work email', method: 'GET', path: '/Users', query: { filter: 'emails[type eq "work"].value eq "ryan.wilson@contoso.com"' } },
  createUser: {
    name: 'Entra ID: create user',
    method: 'POST',
    path: '/Users',
    body: {
      schemas: [CORE_USER, ENTERPRISE, 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:user'],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Ryan.Wilson@contoso.com',
      active: true,
      displayName: 'Ryan Wilson',
      emails: [{ primary: true, type: 'work', value: 'Ryan.Wilson@contoso.com' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'Ryan Wilson', familyName: 'Wilson', givenName: 'Ryan' },
      phoneNumbers: null,
      roles: [],
      [ENTERPRISE]: { employeeNumber: '701984', department: 'Sales', manager: null },
      'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User': { CustomAttribute: 'x' },
    },
  },
  disableWithoutFlag: { name: "Entra ID: disable with string 'False'", method: 'PATCH', path: '/Users/{{userId}}', body: patch({ op: 'Replace', path: 'active', value: 'False' }) },
  enableWithoutFlag: { name: "Entra ID: enable with string 'True'", method: 'PATCH', path: '/Users/{{userId}}', body: patch({ op: 'Replace', path: 'active', value: 'True' }) },
  updateWithFlag: {
    name: 'Entra ID: no-path replace with dotted and URN keys (aadOptscim062020)',
    method: 'PATCH',
    path: '/Users/{{userId}}',
    body: patch({ op: 'replace', value: { displayName: 'Ryan W.', 'name.givenName': 'Ryan', 'name.familyName': 'Wilson', [`${ENTERPRISE}:employeeNumber`]: '701985', active: false } }),
  },
  replaceWorkEmail: { name: 'Entra ID: replace work email', method: 'PATCH', path: '/Users/{{userId}}', body: patch({ op: 'Replace', path: 'emails[type eq "work"].value', value: 'ryan.w@contoso.com' }) },
  addManagerBareString: { name: 'Entra ID: manager as bare string', method: 'PATCH', path: '/Users/{{userId}}', body: patch({ op: 'Add', path: `${ENTERPRISE}:manager`, value: '{{managerId}}' }) },
  replaceManagerOldShape: {
    name: 'Entra ID: manager in the old array shape',
    method: 'PATCH',
    path: '/Users/{{userId}}',
    body: patch({ op: 'Replace', path: `${ENTERPRISE}:manager`, value: [{ $ref: '../Users/{{managerId}}', value: '{{managerId}}' }] }),
  },
  clearWithEmptyString: { name: "Entra ID: clear with ''", method: 'PATCH', path: '/Users/{{userId}}', body: patch({ op: 'Replace', path: 'title', value: '' }) },
  clearWithNull: { name: 'Entra ID: clear with null', method: 'PATCH', path: '/Users/{{userId}}', body: patch({ op: 'Replace', path: 'title', value: null }) },
  createGroup: {
    name: 'Entra ID: create group',
    method: 'POST',
    path: '/Groups',
    body: {
      schemas: [CORE_GROUP, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'Sales Team',
      meta: { resourceType: 'Group' },
    },
  },
  getGroupWithoutMembers: { name: 'Entra ID: group lookup without members', method: 'GET', path: '/Groups', query: { excludedAttributes: 'members', filter: 'displayName eq "Sales Team"' } },
  addMembers: {
    name: 'Entra ID: add members with $ref null',
    method: 'PATCH',
    path: '/Groups/{{groupId}}',
    body: patch({ op: 'Add', path: 'members', value: [{ $ref: null, value: '{{userId}}' }, { $ref: null, value: '{{managerId}}' }] }),
  },
  removeMemberWithoutFlag: { name: 'Entra ID: remove member without the flag', method: 'PATCH', path: '/Groups/{{groupId}}', body: patch({ op: 'Remove', path: 'members', value: [{ value: '{{userId}}' }] }) },
  removeMemberWithFlag: { name: 'Entra ID: remove member with the flag', method: 'PATCH', path: '/Groups/{{groupId}}', body: patch({ op: 'Remove', path: 'members[value eq "{{userId}}"]' }) },
  softDelete: { name: 'Entra ID: soft delete (deactivate)', method: 'PATCH', path: '/Users/{{userId}}', body: patch({ op: 'Replace', path: 'active', value: 'False' }) },
} satisfies Record<string, IdpRequest>;

// --- Okta -----------------------------------------------------------------------------------
const OKTA_HEADERS = { 'User-Agent': 'Okta SCIM Client 1.0.0', Accept: 'application/scim+json' };

export const okta = {
  lookupByUserName: { name: 'Okta: lookup by userName', method: 'GET', path: '/Users', headers: OKTA_HEADERS, query: { filter: 'userName eq "test.user@okta.local"', startIndex: '1', count: '100' } },
  importPage: { name: 'Okta: import page', method: 'GET', path: '/Users', headers: OKTA_HEADERS, query: { startIndex: '1', count: '100' } },
  createUser: {
    name: 'Okta: create user',
    method: 'POST',
    path: '/Users',
    headers: OKTA_HEADERS,
    body: {
      schemas: [CORE_USER],
      userName: 'test.user@okta.local',
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
      displayName: 'Test User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      password: '1mz050nq',
      active: true,
    },
  },
  putUpdate: {
    name: 'Okta: full PUT update',
    method: 'PUT',
    path: '/Users/{{userId}}',
    headers: OKTA_HEADERS,
    body: {
      schemas: [CORE_USER],
      id: '{{userId}}',
      userName: 'test.user@okta.local',
      name: { givenName: 'Another', middleName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
      displayName: 'Another Test User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      active: true,
      meta: { resourceType: 'User', created: '2026-12-01T10:00:00.000Z', lastModified: '2026-12-01T10:00:00.000Z', location: '/Users/{{userId}}' },
    },
  },
  deactivate: { name: 'Okta: no-path PATCH deactivation', method: 'PATCH', path: '/Users/{{userId}}', headers: OKTA_HEADERS, body: patch({ op: 'replace', value: { active: false } }) },
  reactivate: { name: 'Okta: no-path PATCH reactivation', method: 'PATCH', path: '/Users/{{userId}}', headers: OKTA_HEADERS, body: patch({ op: 'replace', value: { active: true } }) },
  passwordSync: { name: 'Okta: password sync', method: 'PATCH', path: '/Users/{{userId}}', headers: OKTA_HEADERS, body: patch({ op: 'replace', value: { password: '6Bvr2JxkF1aj' } }) },
  groupPush: { name: 'Okta: group push', method: 'POST', path: '/Groups', headers: OKTA_HEADERS, body: { schemas: [CORE_GROUP], displayName: 'Test SCIMv2', members: [] } },
  groupRename: {
    name: 'Okta: group rename carrying its own id',
    method: 'PATCH',
    path: '/Groups/{{groupId}}',
    headers: OKTA_HEADERS,
    body: patch({ op: 'replace', value: { id: '{{groupId}}', displayName: 'Test SCIMv2 renamed' } }),
  },
  membership: {
    name: 'Okta: membership remove (of a non-member) plus add',
    method: 'PATCH',
    path: '/Groups/{{groupId}}',
    headers: OKTA_HEADERS,
    body: patch(
      { op: 'remove', path: 'members[value eq "{{formerMemberId}}"]' },
      { op: 'add', path: 'members', value: [{ value: '{{userId}}', display: 'test.user@okta.local' }] },
    ),
  },
  deactivateByPut: {
    name: 'Okta: custom app deactivation by PUT',
    method: 'PUT',
    path: '/Users/{{userId}}',
    headers: OKTA_HEADERS,
    body: { schemas: [CORE_USER], id: '{{userId}}', userName: 'test.user@okta.local', name: { givenName: 'Test', familyName: 'User' }, emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }], groups: [], active: false },
  },
} satisfies Record<string, IdpRequest>;

// --- OneLogin -------------------------------------------------------------------------------
export const onelogin = {
  lookupByUserName: { name: 'OneLogin: lookup by userName', method: 'GET', path: '/Users', query: { filter: 'userName eq "jane.doe@example.com"' } },
  templateCreate: {
    name: 'OneLogin: template create',
    method: 'POST',
    path: '/Users',
    body: {
      schemas: [CORE_USER, ENTERPRISE],
      id: null,
      meta: { resourceType: 'User' },
      userName: 'jane.doe@example.com',
      externalId: '',
      name: { givenName: 'Jane', familyName: 'Doe', middleName: '' },
      displayName: '',
      title: '',
      emails: [{ value: 'jane.doe@example.com', type: 'work', primary: 'true' }],
      phoneNumbers: [{ value: '', type: 'work' }],
      active: 'true',
      [ENTERPRISE]: { department: '', employeeNumber: 'E-1001', manager: { value: '' } },
    },
  },
  templatePut: {
    name: 'OneLogin: template PUT',
    method: 'PUT',
    path: '/Users/{{userId}}',
    body: {
      schemas: [CORE_USER, ENTERPRISE],
      id: '{{userId}}',
      meta: { resourceType: 'User' },
      userName: 'jane.doe@example.com',
      name: { givenName: 'Jane', familyName: 'Doe-Smith', middleName: '' },
      displayName: 'Jane Doe-Smith',
      title: '',
      emails: { value: 'jane.doe@example.com', type: 'work', primary: true },
      active: 'False',
      [ENTERPRISE]: { department: 'Finance', employeeNumber: 'E-1001', manager: '' },
    },
  },
  singleObjectEmails: {
    name: 'OneLogin: single-object emails',
    method: 'PATCH',
    path: '/Users/{{userId}}',
    body: patch({ op: 'replace', path: 'emails', value: { value: 'jane@new.example.com', type: 'work', primary: true } }),
  },
  addMember: { name: 'OneLogin: add member', method: 'PATCH', path: '/Groups/{{groupId}}', body: patch({ op: 'add', path: 'members', value: [{ value: '{{userId}}' }] }) },
  removeMember: { name: 'OneLogin: remove member', method: 'PATCH', path: '/Groups/{{groupId}}', body: patch({ op: 'remove', path: 'members', value: [{ value: '{{userId}}' }] }) },
  hardDelete: { name: 'OneLogin: hard delete', method: 'DELETE', path: '/Users/{{userId}}' },
} satisfies Record<string, IdpRequest>;

/** The orders in which each IdP sends these, for end-to-end replay. */
export const sequences: Record<'entra' | 'okta' | 'onelogin', IdpRequest[]> = {
  entra: [
    entra.testConnection, entra.lookupByUserName, entra.lookupByExternalId, entra.lookupByWorkEmail, entra.createUser,
    entra.replaceWorkEmail, entra.addManagerBareString, entra.addManagerBareString, entra.disableWithoutFlag, entra.createGroup,
    entra.getGroupWithoutMembers, entra.addMembers, entra.addMembers, entra.removeMemberWithoutFlag, entra.removeMemberWithFlag,
  ],
  okta: [okta.lookupByUserName, okta.createUser, okta.putUpdate, okta.deactivate, okta.reactivate, okta.passwordSync, okta.groupPush, okta.groupRename, okta.membership, okta.importPage],
  onelogin: [onelogin.lookupByUserName, onelogin.templateCreate, onelogin.templatePut, onelogin.singleObjectEmails, onelogin.addMember, onelogin.removeMember, onelogin.hardDelete],
};
