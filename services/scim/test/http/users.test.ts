import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { forEachDatabase } from '@ffgate/testing';
import { deepKeysAndValues, ENTERPRISE, PATCH_OP, startOnDatabase, user, type Harness } from './harness.ts';

forEachDatabase('SCIM /Users over HTTP', (ctx) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startOnDatabase(await ctx.open());
  });
  afterAll(async () => h?.close());

  const create = async (userName: string, extra: Record<string, unknown> = {}) => {
    const res = await h.scim('POST', '/Users', { body: user(userName, extra) });
    expect(res.status).toBe(201);
    return res;
  };

  describe('POST', () => {
    it('answers 201 with Location, ETag, the full user and scim+json', async () => {
      const res = await create('post.alice', { password: 'S3cret!', externalId: '00u1', [ENTERPRISE]: { department: 'Video' } });
      expect(res.headers.get('content-type')).toBe('application/scim+json; charset=utf-8');
      expect(res.body.id).toEqual(expect.any(String));
      expect(res.headers.get('location')).toBe(`${h.url}/scim/v2/Users/${res.body.id}`);
      expect(res.body.meta).toEqual({
        resourceType: 'User',
        created: expect.any(String),
        lastModified: expect.any(String),
        location: `${h.url}/scim/v2/Users/${res.body.id}`,
        version: 'W/"1"',
      });
      expect(res.headers.get('etag')).toBe('W/"1"');
      expect(res.body.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE]);
      expect(res.body.userName).toBe('post.alice');
      expect(res.body.externalId).toBe('00u1');
      expect(res.body[ENTERPRISE]).toEqual({ department: 'Video' });
    });

    it('accepts a password and never returns it (passwords are not stored)', async () => {
      const res = await create('post.pw', { password: 'S3cret!' });
      expect(res.text).not.toMatch(/password|S3cret/);
      const got = await h.scim('GET', `/Users/${res.body.id}`);
      expect(got.text).not.toMatch(/password|S3cret/);
    });

    it('ignores read-only groups and client-supplied id/meta (Okta sends groups: [])', async () => {
      const res = await create('post.ro', { id: 'chosen-by-client', groups: [{ value: 'g' }], meta: { version: 'W/"99"' } });
      expect(res.body.id).not.toBe('chosen-by-client');
      expect(res.body.groups ?? []).toEqual([]);
      expect(res.body.meta.version).toBe('W/"1"');
    });

    it('409 uniqueness for a userName that differs only in case', async () => {
      await create('Dup.User');
      const res = await h.scim('POST', '/Users', { body: user('dup.user') });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '409', scimType: 'uniqueness', detail: expect.any(String) });
      expect(res.headers.get('content-type')).toBe('application/scim+json; charset=utf-8');
    });

    it('400 invalidValue for wrong attribute types and missing userName', async () => {
      const wrongType = await h.scim('POST', '/Users', { body: { userName: 42 } });
      expect(wrongType.status).toBe(400);
      expect(wrongType.body.scimType).toBe('invalidValue');
      expect(wrongType.body.status).toBe('400');
      const complexAsString = await h.scim('POST', '/Users', { body: { userName: 'x.type', name: 'not complex' } });
      expect(complexAsString.status).toBe(400);
      expect(complexAsString.body.scimType).toBe('invalidValue');
      const missing = await h.scim('POST', '/Users', { body: { displayName: 'no userName' } });
      expect(missing.status).toBe(400);
      expect(missing.body.scimType).toBe('invalidValue');
    });

    it('400 invalidSyntax when schemas does not name the User schema', async () => {
      const res = await h.scim('POST', '/Users', { body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], userName: 'x.schema' } });
      expect(res.status).toBe(400);
      expect(res.body.scimType).toBe('invalidSyntax');
    });

    it('drops unknown attributes and unknown schema URNs instead of storing them', async () => {
      const res = await create('post.unknown', { favouriteColour: 'blue', schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:example:unknown'] });
      const got = await h.scim('GET', `/Users/${res.body.id}`);
      expect(got.body.favouriteColour).toBeUndefined();
      expect(got.body.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:User']);
    });
  });

  describe('GET /:id', () => {
    it('returns the user with ETag = meta.version; 404 SCIM error for an unknown id', async () => {
      const { body } = await create('get.bob');
      const got = await h.scim('GET', `/Users/${body.id}`);
      expect(got.status).toBe(200);
      expect(got.headers.get('etag')).toBe(got.body.meta.version);
      const missing = await h.scim('GET', '/Users/00000000-0000-0000-0000-000000000000');
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: expect.any(String) });
    });

    it('If-None-Match with the current version → 304 without a body; another version → 200', async () => {
      const { body } = await create('get.cond');
      const notModified = await h.scim('GET', `/Users/${body.id}`, { headers: { 'if-none-match': 'W/"1"' } });
      expect(notModified.status).toBe(304);
      expect(notModified.text).toBe('');
      expect(notModified.headers.get('etag')).toBe('W/"1"');
      const star = await h.scim('GET', `/Users/${body.id}`, { headers: { 'if-none-match': '*' } });
      expect(star.status).toBe(304);
      const changed = await h.scim('GET', `/Users/${body.id}`, { headers: { 'if-none-match': 'W/"7"' } });
      expect(changed.status).toBe(200);
    });

    it('attributes / excludedAttributes project the response (id and schemas always kept)', async () => {
      const { body } = await create('get.proj', { [ENTERPRISE]: { department: 'Ops' } });
      const only = await h.scim('GET', `/Users/${body.id}?attributes=userName`);
      expect(Object.keys(only.body).sort()).toEqual(['id', 'schemas', 'userName']);
      const sub = await h.scim('GET', `/Users/${body.id}?attributes=emails.value,${ENTERPRISE}:department`);
      expect(sub.body.emails).toEqual([{ value: 'get.proj@example.com' }]);
      expect(sub.body[ENTERPRISE]).toEqual({ department: 'Ops' });
      expect(sub.body.userName).toBeUndefined();
      const excluded = await h.scim('GET', `/Users/${body.id}?excludedAttributes=emails,meta,name`);
      expect(excluded.body.emails).toBeUndefined();
      expect(excluded.body.meta).toBeUndefined();
      expect(excluded.body.userName).toBe('get.proj');
      expect(excluded.body.id).toBe(body.id);
    });
  });

  describe('PUT', () => {
    it('replaces the user; id/meta/groups in the body are ignored (Okta round-trip)', async () => {
      const { body } = await create('put.carol', { title: 'Engineer', nickName: 'Caz' });
      const roundTrip = { ...body, title: 'Manager', nickName: undefined, groups: [], password: 'new-pw' };
      const res = await h.scim('PUT', `/Users/${body.id}`, { body: roundTrip });
      expect(res.status).toBe(200);
      expect(res.body.title).toBe('Manager');
      expect(res.body.nickName).toBeUndefined();
      expect(res.body.meta.version).toBe('W/"2"');
      expect(res.headers.get('etag')).toBe('W/"2"');
      expect(res.text).not.toMatch(/password|new-pw/);
    });

    it('a different id in the body is ignored (readOnly, RFC 7644 §3.5.1): the path decides', async () => {
      const { body } = await create('put.otherid');
      const res = await h.scim('PUT', `/Users/${body.id}`, { body: user('put.otherid', { id: 'not-this-one', title: 'Kept' }) });
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(body.id);
      expect(res.body.title).toBe('Kept');
    });

    it('If-Match with several entity tags matches when one is current', async () => {
      const { body } = await create('put.multitag');
      const res = await h.scim('PUT', `/Users/${body.id}`, { body: user('put.multitag', { title: 'm' }), headers: { 'if-match': 'W/"7", W/"1"' } });
      expect(res.status).toBe(200);
      const none = await h.scim('PUT', `/Users/${body.id}`, { body: user('put.multitag', { title: 'n' }), headers: { 'if-match': 'W/"7", "8"' } });
      expect(none.status).toBe(412);
      expect(none.body.status).toBe('412');
    });

    it('active: false deactivates and the user stays readable', async () => {
      const { body } = await create('put.deact');
      const res = await h.scim('PUT', `/Users/${body.id}`, { body: user('put.deact', { active: false }) });
      expect(res.status).toBe(200);
      const got = await h.scim('GET', `/Users/${body.id}`);
      expect(got.status).toBe(200);
      expect(got.body.active).toBe(false);
    });

    it('If-Match: matching version → 200, other version → 412 (unchanged), * → 200', async () => {
      const { body } = await create('put.ifmatch');
      const stale = await h.scim('PUT', `/Users/${body.id}`, { body: user('put.ifmatch', { title: 'x' }), headers: { 'if-match': 'W/"5"' } });
      expect(stale.status).toBe(412);
      expect(stale.body.status).toBe('412');
      expect((await h.scim('GET', `/Users/${body.id}`)).body.meta.version).toBe('W/"1"');
      const ok = await h.scim('PUT', `/Users/${body.id}`, { body: user('put.ifmatch', { title: 'y' }), headers: { 'if-match': 'W/"1"' } });
      expect(ok.status).toBe(200);
      const any = await h.scim('PUT', `/Users/${body.id}`, { body: user('put.ifmatch', { title: 'z' }), headers: { 'if-match': '*' } });
      expect(any.status).toBe(200);
      expect(any.body.title).toBe('z');
    });

    it('404 for an unknown id; 409 when taking another user\'s userName', async () => {
      expect((await h.scim('PUT', '/Users/00000000-0000-0000-0000-000000000000', { body: user('put.nobody') })).status).toBe(404);
      await create('put.taken');
      const { body } = await create('put.taker');
      const clash = await h.scim('PUT', `/Users/${body.id}`, { body: user('PUT.TAKEN') });
      expect(clash.status).toBe(409);
      expect(clash.body.scimType).toBe('uniqueness');
    });
  });

  describe('PATCH', () => {
    const patch = (Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

    it('applies operations and answers 200 with the resource and its new ETag', async () => {
      const { body } = await create('patch.dave');
      const res = await h.scim('PATCH', `/Users/${body.id}`, {
        body: patch([
          { op: 'replace', path: 'name.givenName', value: 'David' },
          { op: 'add', path: 'emails', value: [{ value: 'home@example.com', type: 'home' }] },
          { op: 'replace', value: { password: 'pw-from-okta' } },
        ]),
      });
      expect(res.status).toBe(200);
      expect(res.body.name.givenName).toBe('David');
      expect(res.body.emails).toHaveLength(2);
      expect(res.headers.get('etag')).toBe('W/"2"');
      expect(res.text).not.toMatch(/password|pw-from-okta/);
    });

    it('deactivation by PATCH (Okta, no path) keeps the user readable', async () => {
      const { body } = await create('patch.deact');
      const res = await h.scim('PATCH', `/Users/${body.id}`, { body: patch([{ op: 'replace', value: { active: false } }]) });
      expect(res.status).toBe(200);
      expect(res.body.active).toBe(false);
      expect((await h.scim('GET', `/Users/${body.id}`)).body.active).toBe(false);
    });

    it('is atomic: an invalid second operation leaves resource and version untouched', async () => {
      const { body } = await create('patch.atomic');
      const res = await h.scim('PATCH', `/Users/${body.id}`, {
        body: patch([
          { op: 'replace', path: 'title', value: 'Changed' },
          { op: 'replace', path: 'shoeSize', value: 44 },
        ]),
      });
      expect(res.status).toBe(400);
      expect(res.body.scimType).toBe('invalidPath');
      const got = await h.scim('GET', `/Users/${body.id}`);
      expect(got.body.title).toBeUndefined();
      expect(got.body.meta.version).toBe('W/"1"');
    });

    it('a PATCH that changes nothing keeps the version', async () => {
      const { body } = await create('patch.noop', { title: 'Same' });
      const res = await h.scim('PATCH', `/Users/${body.id}`, { body: patch([{ op: 'replace', path: 'title', value: 'Same' }]) });
      expect(res.status).toBe(200);
      expect(res.body.meta.version).toBe('W/"1"');
    });

    it('400 for invalid PatchOp messages and mutability violations', async () => {
      const { body } = await create('patch.invalid');
      const noOps = await h.scim('PATCH', `/Users/${body.id}`, { body: { schemas: [PATCH_OP], Operations: [] } });
      expect(noOps.status).toBe(400);
      const badOp = await h.scim('PATCH', `/Users/${body.id}`, { body: patch([{ op: 'explode', path: 'title' }]) });
      expect(badOp.status).toBe(400);
      expect(badOp.body.scimType).toBe('invalidSyntax');
      const otherId = await h.scim('PATCH', `/Users/${body.id}`, { body: patch([{ op: 'replace', value: { id: 'someone-else' } }]) });
      expect(otherId.status).toBe(400);
      expect(otherId.body.scimType).toBe('mutability');
      const removeRequired = await h.scim('PATCH', `/Users/${body.id}`, { body: patch([{ op: 'remove', path: 'userName' }]) });
      expect(removeRequired.status).toBe(400);
      expect(removeRequired.body.scimType).toBe('invalidValue');
      expect((await h.scim('GET', `/Users/${body.id}`)).body.meta.version).toBe('W/"1"');
    });

    it('If-Match mismatch → 412 and nothing changes; matching → 200', async () => {
      const { body } = await create('patch.ifmatch');
      const stale = await h.scim('PATCH', `/Users/${body.id}`, { body: patch([{ op: 'replace', path: 'title', value: 'T' }]), headers: { 'if-match': '"9"' } });
      expect(stale.status).toBe(412);
      expect((await h.scim('GET', `/Users/${body.id}`)).body.title).toBeUndefined();
      const ok = await h.scim('PATCH', `/Users/${body.id}`, { body: patch([{ op: 'replace', path: 'title', value: 'T' }]), headers: { 'if-match': 'W/"1"' } });
      expect(ok.status).toBe(200);
      expect(ok.body.title).toBe('T');
    });

    it('404 for an unknown id', async () => {
      const res = await h.scim('PATCH', '/Users/00000000-0000-0000-0000-000000000000', { body: patch([{ op: 'replace', path: 'title', value: 'x' }]) });
      expect(res.status).toBe(404);
    });
  });

  describe('DELETE', () => {
    it('If-Match mismatch → 412; then 204, and the user is gone (404)', async () => {
      const { body } = await create('delete.erin');
      expect((await h.scim('DELETE', `/Users/${body.id}`, { headers: { 'if-match': 'W/"3"' } })).status).toBe(412);
      const res = await h.scim('DELETE', `/Users/${body.id}`, { headers: { 'if-match': 'W/"1"' } });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect((await h.scim('GET', `/Users/${body.id}`)).status).toBe(404);
      expect((await h.scim('DELETE', `/Users/${body.id}`)).status).toBe(404);
    });

    it('If-Match * deletes any version', async () => {
      const { body } = await create('delete.star');
      expect((await h.scim('DELETE', `/Users/${body.id}`, { headers: { 'if-match': '*' } })).status).toBe(204);
    });
  });

  it('no response ever contains null or a password', async () => {
    const { body } = await create('nulls.frank', { nickName: null, title: null, password: 'pw' });
    const responses = [
      await h.scim('GET', `/Users/${body.id}`),
      await h.scim('GET', '/Users?count=50'),
      await h.scim('GET', `/Users?filter=${encodeURIComponent('userName eq "nulls.frank"')}`),
      await h.scim('PATCH', `/Users/${body.id}`, { body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'nickName', value: 'F' }] } }),
    ];
    for (const res of responses) {
      expect(res.status).toBe(200);
      const all = deepKeysAndValues(res.body);
      expect(all).not.toContain(null);
      expect(all).not.toContain('password');
    }
  });
});
