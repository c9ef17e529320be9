import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { forEachDatabase } from '@ffgate/testing';
import { CORE_GROUP, PATCH_OP, startOnDatabase, user, type Harness } from './harness.ts';

forEachDatabase('SCIM /Groups over HTTP', (ctx) => {
  let h: Harness;
  const userIds: string[] = [];
  beforeAll(async () => {
    h = await startOnDatabase(await ctx.open());
    for (const name of ['grp.ann', 'grp.ben', 'grp.cid']) {
      const res = await h.scim('POST', '/Users', { body: user(name) });
      userIds.push(res.body.id);
    }
  });
  afterAll(async () => h?.close());

  const group = (displayName: string, members: unknown[] = []) => ({ schemas: [CORE_GROUP], displayName, members });
  const patch = (Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
  const memberIds = (body: { members?: { value: string }[] }) => (body.members ?? []).map((m) => m.value).sort();

  it('POST → 201 with Location/ETag; members carry display, type and an absolute $ref', async () => {
    const res = await h.scim('POST', '/Groups', { body: group('Editors', [{ value: userIds[0] }]) });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`${h.url}/scim/v2/Groups/${res.body.id}`);
    expect(res.headers.get('etag')).toBe('W/"1"');
    expect(res.body.members).toEqual([
      { value: userIds[0], display: expect.any(String), type: 'User', $ref: `${h.url}/scim/v2/Users/${userIds[0]}` },
    ]);
    const member = await h.scim('GET', `/Users/${userIds[0]}`);
    expect(member.body.groups).toEqual([expect.objectContaining({ value: res.body.id, $ref: `${h.url}/scim/v2/Groups/${res.body.id}` })]);
  });

  it('POST without members (Entra) and 409 uniqueness on a duplicate displayName', async () => {
    const res = await h.scim('POST', '/Groups', { body: { schemas: [CORE_GROUP], displayName: 'Viewers' } });
    expect(res.status).toBe(201);
    expect(res.body.members ?? []).toEqual([]);
    const dup = await h.scim('POST', '/Groups', { body: group('VIEWERS') });
    expect(dup.status).toBe(409);
    expect(dup.body.scimType).toBe('uniqueness');
  });

  it('GET /Groups/{id}?excludedAttributes=members and list with excludedAttributes=members omit members', async () => {
    const created = await h.scim('POST', '/Groups', { body: group('Big', [{ value: userIds[0] }, { value: userIds[1] }]) });
    const single = await h.scim('GET', `/Groups/${created.body.id}?excludedAttributes=members`);
    expect(single.status).toBe(200);
    expect(single.body.members).toBeUndefined();
    expect(single.body.displayName).toBe('Big');
    const list = await h.scim('GET', `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Big"')}`);
    expect(list.body.totalResults).toBe(1);
    expect(list.body.Resources[0].members).toBeUndefined();
    expect(list.body.Resources[0].id).toBe(created.body.id);
  });

  it('PATCH adds and removes members in one request; duplicates are not added twice', async () => {
    const created = await h.scim('POST', '/Groups', { body: group('Patchers', [{ value: userIds[0] }]) });
    const res = await h.scim('PATCH', `/Groups/${created.body.id}`, {
      body: patch([
        { op: 'add', path: 'members', value: [{ value: userIds[0] }, { value: userIds[1] }, { value: userIds[2] }] },
        { op: 'remove', path: `members[value eq "${userIds[2]}"]` },
      ]),
    });
    expect(res.status).toBe(200);
    expect(memberIds(res.body)).toEqual([userIds[0], userIds[1]].sort());
    const removeByValue = await h.scim('PATCH', `/Groups/${created.body.id}`, {
      body: patch([{ op: 'remove', path: 'members', value: [{ value: userIds[0] }] }]),
    });
    expect(memberIds(removeByValue.body)).toEqual([userIds[1]]);
  });

  it('PATCH removing a non-member is not an error (Okta)', async () => {
    const created = await h.scim('POST', '/Groups', { body: group('Quiet', [{ value: userIds[1] }]) });
    const res = await h.scim('PATCH', `/Groups/${created.body.id}`, { body: patch([{ op: 'remove', path: `members[value eq "${userIds[2]}"]` }]) });
    expect(res.status).toBe(200);
    expect(memberIds(res.body)).toEqual([userIds[1]]);
  });

  it('PATCH rename carrying the group\'s own id is accepted (Okta group push)', async () => {
    const created = await h.scim('POST', '/Groups', { body: group('Renamed') });
    const res = await h.scim('PATCH', `/Groups/${created.body.id}`, { body: patch([{ op: 'replace', value: { id: created.body.id, displayName: 'Renamed 2' } }]) });
    expect(res.status).toBe(200);
    expect(res.body.displayName).toBe('Renamed 2');
    expect(res.body.meta.version).toBe('W/"2"');
  });

  it('PUT replaces members; If-Match mismatch → 412; DELETE → 204 then 404', async () => {
    const created = await h.scim('POST', '/Groups', { body: group('Replaced', [{ value: userIds[0] }]) });
    const stale = await h.scim('PUT', `/Groups/${created.body.id}`, { body: group('Replaced', []), headers: { 'if-match': 'W/"4"' } });
    expect(stale.status).toBe(412);
    const res = await h.scim('PUT', `/Groups/${created.body.id}`, { body: group('Replaced', [{ value: userIds[2] }]), headers: { 'if-match': created.headers.get('etag')! } });
    expect(res.status).toBe(200);
    expect(memberIds(res.body)).toEqual([userIds[2]]);
    expect((await h.scim('DELETE', `/Groups/${created.body.id}`)).status).toBe(204);
    expect((await h.scim('GET', `/Groups/${created.body.id}`)).status).toBe(404);
  });

  it('concurrent PATCHes on one group serialise: no membership change is lost', async () => {
    const extra: string[] = [];
    for (let i = 0; i < 8; i++) extra.push((await h.scim('POST', '/Users', { body: user(`grp.conc.${i}`) })).body.id);
    const created = await h.scim('POST', '/Groups', { body: group('Concurrent') });
    const results = await Promise.all(
      extra.map((id) => h.scim('PATCH', `/Groups/${created.body.id}`, { body: patch([{ op: 'add', path: 'members', value: [{ value: id }] }]) })),
    );
    expect(results.map((r) => r.status)).toEqual(extra.map(() => 200));
    const final = await h.scim('GET', `/Groups/${created.body.id}`);
    expect(memberIds(final.body)).toEqual([...extra].sort());
    expect(final.body.meta.version).toBe(`W/"${1 + extra.length}"`);
  });

  it('an unknown member id is refused with 400 (store rule), nothing is created', async () => {
    const res = await h.scim('POST', '/Groups', { body: group('Ghosts', [{ value: '00000000-0000-0000-0000-000000000000' }]) });
    expect(res.status).toBe(400);
    const list = await h.scim('GET', `/Groups?filter=${encodeURIComponent('displayName eq "Ghosts"')}`);
    expect(list.body.totalResults).toBe(0);
  });
});
