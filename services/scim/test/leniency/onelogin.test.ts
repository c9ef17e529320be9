import { describe, expect, it } from '@jest/globals';
import { normalizePatch, normalizeScimRequest } from '../../src/leniency/index.ts';
import { CORE_GROUP, CORE_USER, ENTERPRISE, fillIds, onelogin, type IdpRequest } from './idp-fixtures.ts';
import { containsNull, patchedWithScimmy, validatedBody } from './scimmy-check.ts';
import { withScimService } from '../e2e/with-service.ts';

const ids = { userId: '7d1e6f0a-2b3c-4d5e-8f90-a1b2c3d4e5f6', groupId: '3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7' };
const body = <T extends IdpRequest>(request: T): T['body'] => fillIds(request, ids).body;

const currentUser = { schemas: [CORE_USER], userName: 'jane.doe@example.com', emails: [{ value: 'jane.doe@example.com', type: 'work', primary: true }], active: true };

describe('OneLogin', () => {
  it('OneLogin: template create with id null, meta, empty strings and active "true"', () => {
    const { body: out, validated } = validatedBody('User', body(onelogin.templateCreate));
    expect(out).toEqual({
      schemas: [CORE_USER, ENTERPRISE],
      userName: 'jane.doe@example.com',
      name: { givenName: 'Jane', familyName: 'Doe' },
      emails: [{ value: 'jane.doe@example.com', type: 'work', primary: true }],
      active: true,
      [ENTERPRISE]: { employeeNumber: 'E-1001' },
    });
    expect(containsNull(out)).toBe(false);
    expect(validated.active).toBe(true);
  });

  it('OneLogin: single-object emails', async () => {
    const { patch } = normalizePatch('User', body(onelogin.singleObjectEmails));
    expect(patch.Operations).toEqual([{ op: 'replace', path: 'emails', value: [{ value: 'jane@new.example.com', type: 'work', primary: true }] }]);
    const { resource } = await patchedWithScimmy('User', ids.userId, currentUser, body(onelogin.singleObjectEmails));
    expect(resource.emails).toEqual([{ value: 'jane@new.example.com', type: 'work', primary: true }]);
  });

  it('OneLogin: single-object emails in a PUT body, with active "False" and manager ""', () => {
    const { body: out } = validatedBody('User', body(onelogin.templatePut), 'PUT');
    expect(out.emails).toEqual([{ value: 'jane.doe@example.com', type: 'work', primary: true }]);
    expect(out.active).toBe(false);
    expect(out[ENTERPRISE]).toEqual({ department: 'Finance', employeeNumber: 'E-1001' });
    expect(out).not.toHaveProperty('id');
    expect(out).not.toHaveProperty('title');
  });

  it('OneLogin: userName lookup filter passes through; PUT and PATCH are both normalised', () => {
    const lookup = normalizeScimRequest({ method: 'GET', resourceType: 'User', query: onelogin.lookupByUserName.query });
    expect(lookup.query.filter).toBe('userName eq "jane.doe@example.com"');
    const put = normalizeScimRequest({ method: 'PUT', resourceType: 'User', id: ids.userId, body: body(onelogin.templatePut) });
    const patch = normalizeScimRequest({ method: 'PATCH', resourceType: 'User', id: ids.userId, body: body(onelogin.singleObjectEmails) });
    expect(put.notes).toContain('wrapSingleObjects');
    expect(patch.notes).toContain('wrapSingleObjects');
  });

  it('OneLogin: hard DELETE passes through untouched; deprovisioning by active "false" becomes a boolean', () => {
    const deleted = normalizeScimRequest({ method: 'DELETE', resourceType: 'User', id: ids.userId });
    expect(deleted).toEqual({ body: undefined, query: {}, notes: [] });
    const { body: out } = validatedBody('User', { ...body(onelogin.templatePut), active: 'false' }, 'PUT');
    expect(out.active).toBe(false);
  });

  it('OneLogin: group membership by PATCH add and remove of members', async () => {
    const empty = { schemas: [CORE_GROUP], displayName: 'Finance' };
    const added = await patchedWithScimmy('Group', ids.groupId, empty, body(onelogin.addMember));
    expect(added.resource.members).toEqual([{ value: ids.userId }]);
    const { patch } = normalizePatch('Group', body(onelogin.removeMember));
    expect(patch.Operations).toEqual([{ op: 'remove', path: `members[value eq "${ids.userId}"]` }]);
    const removed = await patchedWithScimmy('Group', ids.groupId, { ...empty, members: [{ value: ids.userId }, { value: 'other' }] }, body(onelogin.removeMember));
    expect(removed.resource.members).toEqual([{ value: 'other' }]);
  });

  // SCIM's part of deprovisioning: both paths publish the identity event the token service and
  // the job gateway act on (revoke credentials, cancel work)
  it('OneLogin: DELETE and active false both revoke credentials and stop work (end-to-end)', async () => {
    await withScimService(async (e) => {
      const created = await e.replay(onelogin.templateCreate);
      const suspended = await e.replay(onelogin.templatePut, { userId: created.body.id });
      expect(suspended.body.active).toBe(false);
      await e.waitForEvent((ev) => ev.resourceId === created.body.id && ev.type === 'identity.user.deactivated');
      expect((await e.replay(onelogin.hardDelete, { userId: created.body.id })).status).toBe(204);
      await e.waitForEvent((ev) => ev.resourceId === created.body.id && ev.type === 'identity.user.deleted');
    });
  }, 30_000);
});
