import { describe, expect, it } from '@jest/globals';
import SCIMMY from 'scimmy';
import { normalizePatch, normalizeScimRequest } from '../../src/leniency/index.ts';
import { CORE_GROUP, CORE_USER, fillIds, okta, type IdpRequest } from './idp-fixtures.ts';
import { patchedWithScimmy, validatedBody } from './scimmy-check.ts';
import { withScimService } from '../e2e/with-service.ts';

const ids = { userId: '23a35c27-23d3-4c03-b4c5-6443c09e7173', groupId: 'abf4dd94-a4c0-4f67-89c9-76b03340cb9b', formerMemberId: '89bb1940-b905-4575-9e7f-6f887cfb368e' };
const body = <T extends IdpRequest>(request: T): T['body'] => fillIds(request, ids).body;

const currentUser = { schemas: [CORE_USER], userName: 'test.user@okta.local', name: { givenName: 'Test', familyName: 'User' }, emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }], active: true };
const currentGroup = { schemas: [CORE_GROUP], displayName: 'Test SCIMv2', members: [] };

describe('Okta', () => {
  it('Okta: userName lookup with startIndex and count passes through to the planner', () => {
    const out = normalizeScimRequest({ method: 'GET', resourceType: 'User', query: okta.lookupByUserName.query });
    expect(out.query).toEqual({ filter: 'userName eq "test.user@okta.local"', startIndex: '1', count: '100' });
    expect(out.notes).toEqual([]);
  });

  it('Okta: create with password, groups [], externalId, locale and active', () => {
    const { body: out, notes, validated } = validatedBody('User', body(okta.createUser));
    expect(out).not.toHaveProperty('groups');
    expect(out.password).toBe('1mz050nq'); // kept: the HTTP layer hashes/drops it, never returns it
    expect(out).toMatchObject({ externalId: '00ujl29u0le5T6Aj10h7', locale: 'en-US', active: true, schemas: [CORE_USER] });
    expect(notes).toEqual(['dropReadOnlyAttributes']);
    expect(validated).not.toHaveProperty('password');
  });

  it('Okta: a userName differing only in case is kept as sent for the store’s case-insensitive uniqueness check', () => {
    const { body: out } = validatedBody('User', { ...body(okta.createUser), userName: 'Test.User@OKTA.local' });
    expect(out.userName).toBe('Test.User@OKTA.local');
  });

  it('Okta: import paging parameters pass through untouched', () => {
    const out = normalizeScimRequest({ method: 'GET', resourceType: 'User', query: okta.importPage.query });
    expect(out.query).toEqual({ startIndex: '1', count: '100' });
  });

  it('Okta: full PUT including id, meta and groups [] drops the read-only fields', () => {
    const { body: out } = validatedBody('User', body(okta.putUpdate), 'PUT');
    expect(out).not.toHaveProperty('id');
    expect(out).not.toHaveProperty('meta');
    expect(out).not.toHaveProperty('groups');
    expect(out.name).toEqual({ givenName: 'Another', middleName: 'Test', familyName: 'User' });
  });

  it('Okta: no-path PATCH deactivation', async () => {
    const { patch } = normalizePatch('User', body(okta.deactivate), { id: ids.userId });
    expect(patch.Operations).toEqual([{ op: 'replace', path: 'active', value: false }]);
    const { resource } = await patchedWithScimmy('User', ids.userId, currentUser, body(okta.deactivate));
    expect(resource.active).toBe(false);
    expect(resource.userName).toBe('test.user@okta.local');
  });

  it('Okta: no-path PATCH reactivation', async () => {
    const { resource } = await patchedWithScimmy('User', ids.userId, { ...currentUser, active: false }, body(okta.reactivate));
    expect(resource.active).toBe(true);
  });

  it('Okta: custom app deactivation by PUT with active false', () => {
    const { body: out } = validatedBody('User', body(okta.deactivateByPut), 'PUT');
    expect(out.active).toBe(false);
    expect(out).not.toHaveProperty('groups');
  });

  it('Okta: password sync PATCH becomes a password replace and is never echoed', async () => {
    const { patch } = normalizePatch('User', body(okta.passwordSync));
    expect(patch.Operations).toEqual([{ op: 'replace', path: 'password', value: '6Bvr2JxkF1aj' }]);
    const { resource } = await patchedWithScimmy('User', ids.userId, currentUser, body(okta.passwordSync));
    expect(resource).not.toHaveProperty('password');
  });

  it('Okta: no-path replace of name keeps unmentioned sub-attributes (one path per sub-attribute)', async () => {
    const request = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { name: { givenName: 'Tess' } } }] };
    const { patch } = normalizePatch('User', request);
    expect(patch.Operations).toEqual([{ op: 'replace', path: 'name.givenName', value: 'Tess' }]);
    const { resource } = await patchedWithScimmy('User', ids.userId, currentUser, request);
    expect(resource.name).toEqual({ givenName: 'Tess', familyName: 'User' });
  });

  it('Okta: replace of name with a path also keeps unmentioned sub-attributes', async () => {
    const request = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'name', value: { familyName: 'Usher' } }] };
    const { resource, operations } = await patchedWithScimmy('User', ids.userId, currentUser, request);
    expect(operations).toEqual([{ op: 'replace', path: 'name.familyName', value: 'Usher' }]);
    expect(resource.name).toEqual({ givenName: 'Test', familyName: 'Usher' });
  });

  it('Okta: group push with members []', () => {
    const { body: out, notes } = validatedBody('Group', body(okta.groupPush));
    expect(out).toEqual({ schemas: [CORE_GROUP], displayName: 'Test SCIMv2', members: [] });
    expect(notes).toEqual([]);
  });

  it("Okta: group rename carrying the group's own id", async () => {
    const { patch, notes } = normalizePatch('Group', body(okta.groupRename), { id: ids.groupId });
    expect(patch.Operations).toEqual([{ op: 'replace', path: 'displayName', value: 'Test SCIMv2 renamed' }]);
    expect(notes).toContain('dropOwnIdFromValues');
    const { resource } = await patchedWithScimmy('Group', ids.groupId, currentGroup, body(okta.groupRename));
    expect(resource.displayName).toBe('Test SCIMv2 renamed');
  });

  it('Okta: group rename carrying a different id is left for validation to reject', async () => {
    const request = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { id: 'someone-else', displayName: 'x' } }] };
    const { patch } = normalizePatch('Group', request, { id: ids.groupId });
    expect(patch.Operations).toContainEqual({ op: 'replace', path: 'id', value: 'someone-else' });
    await expect(patchedWithScimmy('Group', ids.groupId, currentGroup, request)).rejects.toBeInstanceOf(SCIMMY.Types.Error);
  });

  it('Okta: membership PATCH removing a non-member plus an add succeeds', async () => {
    const { resource, operations, notes } = await patchedWithScimmy('Group', ids.groupId, currentGroup, body(okta.membership));
    expect(notes).toContain('dropRemovalMatchingNothing');
    expect(operations).toEqual([{ op: 'add', path: 'members', value: [{ value: ids.userId, display: 'test.user@okta.local' }] }]);
    expect(resource.members).toEqual([{ value: ids.userId, display: 'test.user@okta.local' }]);
  });

  it('Okta: membership PATCH removing an actual member keeps the removal', async () => {
    const current = { ...currentGroup, members: [{ value: ids.formerMemberId }] };
    const { resource, operations } = await patchedWithScimmy('Group', ids.groupId, current, body(okta.membership));
    expect(operations).toHaveLength(2);
    expect(resource.members).toEqual([{ value: ids.userId, display: 'test.user@okta.local' }]);
  });

  it('Okta: the data model (userName, name, emails, active) is kept exactly as sent', () => {
    const { body: out } = validatedBody('User', body(okta.createUser));
    const sent = body(okta.createUser);
    expect(out).toMatchObject({ userName: sent.userName, name: sent.name, emails: sent.emails, active: sent.active });
  });

  it('Okta: missing or wrong token → 401 with a SCIM error body (HTTP layer / end-to-end)', async () => {
    await withScimService(async (e) => {
      for (const token of [null, 'ffscim_0000_wrong', 'Bearer-less']) {
        const res = await e.send('GET', '/Users', { token, headers: okta.importPage.headers, query: okta.importPage.query });
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401', detail: expect.any(String) });
      }
    });
  }, 30_000);
  it('Okta: duplicate userName → 409 uniqueness and integer paging totals (store / end-to-end)', async () => {
    await withScimService(async (e) => {
      expect((await e.replay(okta.createUser)).status).toBe(201);
      const dup = await e.send('POST', '/Users', { body: { ...okta.createUser.body, userName: 'Test.User@Okta.Local' } });
      expect(dup.status).toBe(409);
      expect(dup.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
      const page = await e.replay(okta.lookupByUserName);
      expect(page.body).toMatchObject({ totalResults: 1, startIndex: 1, itemsPerPage: 1 });
      for (const key of ['totalResults', 'startIndex', 'itemsPerPage']) expect(typeof page.body[key]).toBe('number');
    });
  }, 30_000);
});
