import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { forEachDatabase } from '@ffgate/testing';
import { CORE_USER, okta } from '../leniency/idp-fixtures.ts';
import { containsNull, ERROR_SCHEMA, SCIM_JSON, startE2E, type E2E } from './harness.ts';

const versionOf = (body: { meta: { version: string } }) => Number(/\d+/.exec(body.meta.version)![0]);

forEachDatabase('Okta end to end (full HTTP stack, outbox relay, bus)', (ctx) => {
  let e: E2E;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    e = await startE2E(await ctx.open());
  });
  afterAll(async () => e?.close());

  it('Okta: lookup by userName with string paging → ListResponse with integer totals', async () => {
    const res = await e.replay(okta.lookupByUserName);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(SCIM_JSON);
    expect(res.body).toMatchObject({ totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
    for (const key of ['totalResults', 'startIndex', 'itemsPerPage']) expect(Number.isInteger(res.body[key])).toBe(true);
  });

  it('Okta: create with password, groups: [] and locale → 201 full user, password never returned, created event', async () => {
    const res = await e.replay(okta.createUser);
    expect(res.status).toBe(201);
    ids.userId = res.body.id;
    expect(res.body).toMatchObject({ userName: 'test.user@okta.local', locale: 'en-US', externalId: '00ujl29u0le5T6Aj10h7', active: true, name: { givenName: 'Test', familyName: 'User' } });
    expect(res.text).not.toMatch(/password|1mz050nq/);
    expect((await e.send('GET', `/Users/${ids.userId}`)).text).not.toMatch(/password|1mz050nq/);
    const event = await e.waitForEvent((ev) => ev.resourceId === ids.userId && ev.type === 'identity.user.created');
    expect(JSON.stringify(event)).not.toMatch(/1mz050nq/);
    const found = await e.replay(okta.lookupByUserName);
    expect(found.body.totalResults).toBe(1);
  });

  it('Okta: duplicate userName, also differing only in case → 409 uniqueness', async () => {
    const same = await e.replay(okta.createUser);
    expect(same.status).toBe(409);
    expect(same.body).toEqual({ schemas: [ERROR_SCHEMA], status: '409', scimType: 'uniqueness', detail: expect.any(String) });
    const upper = await e.send('POST', '/Users', { body: { ...okta.createUser.body, userName: 'TEST.User@OKTA.local' } });
    expect(upper.status).toBe(409);
    expect(upper.body.scimType).toBe('uniqueness');
  });

  it('Okta: GET then full PUT carrying id, meta and groups: [] → 200 with the updated user', async () => {
    const got = await e.send('GET', `/Users/${ids.userId}`);
    expect(got.status).toBe(200);
    const res = await e.replay(okta.putUpdate, ids);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: ids.userId, displayName: 'Another Test User', name: { givenName: 'Another', middleName: 'Test', familyName: 'User' } });
    expect(res.body.meta.created).toBe(got.body.meta.created);
    expect(versionOf(res.body)).toBe(versionOf(got.body) + 1);
    expect(containsNull(res.body)).toBe(false);
  });

  it('Okta: no-path PATCH deactivation and reactivation → events identity.user.deactivated / identity.user.reactivated', async () => {
    const off = await e.replay(okta.deactivate, ids);
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expect((await e.send('GET', `/Users/${ids.userId}`)).body.active).toBe(false);
    const deactivated = await e.waitForEvent((ev) => ev.resourceId === ids.userId && ev.type === 'identity.user.deactivated');
    expect(deactivated.version).toBe(versionOf(off.body));

    const on = await e.replay(okta.reactivate, ids);
    expect(on.body.active).toBe(true);
    const reactivated = await e.waitForEvent((ev) => ev.resourceId === ids.userId && ev.type === 'identity.user.reactivated');
    expect(reactivated.version).toBe(versionOf(on.body));
  });

  it('Okta: custom-app deactivation by PUT active false also publishes identity.user.deactivated', async () => {
    const res = await e.replay(okta.deactivateByPut, ids);
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(false);
    await e.waitForEvent((ev) => ev.resourceId === ids.userId && ev.type === 'identity.user.deactivated' && ev.version === versionOf(res.body));
    await e.replay(okta.reactivate, ids);
  });

  it('Okta: password sync PATCH is accepted, not stored, never returned, and changes nothing', async () => {
    await e.settle();
    const before = await e.send('GET', `/Users/${ids.userId}`);
    const eventCount = e.events.length;
    const res = await e.replay(okta.passwordSync, ids);
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(/password|6Bvr2JxkF1aj/);
    expect(res.body.meta.version).toBe(before.body.meta.version);
    await e.settle();
    expect(e.events.length).toBe(eventCount);
  });

  it('Okta: group push with members: [], rename carrying its own id, remove of a non-member plus add in one PATCH', async () => {
    const pushed = await e.replay(okta.groupPush);
    expect(pushed.status).toBe(201);
    ids.groupId = pushed.body.id;
    const renamed = await e.replay(okta.groupRename, ids);
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: ids.groupId, displayName: 'Test SCIMv2 renamed' });
    const other = await e.send('PATCH', `/Groups/${ids.groupId}`, { body: { ...okta.groupRename.body, Operations: [{ op: 'replace', value: { id: 'another-id' } }] } });
    expect(other.status).toBe(400);

    const membership = await e.replay(okta.membership, { ...ids, formerMemberId: 'never-a-member' });
    expect(membership.status).toBe(200);
    // the display Okta sends is kept as sent (member display is only filled in when absent)
    expect(membership.body.members).toEqual([expect.objectContaining({ value: ids.userId, display: 'test.user@okta.local', type: 'User' })]);
    const groupEvents = await e.waitForEvent((ev) => ev.resourceId === ids.groupId && ev.version === versionOf(membership.body));
    expect(groupEvents.type).toMatch(/^identity\.group\./);
  });

  it('Okta: import pages (startIndex += count until totalResults) are stable and complete', async () => {
    for (let i = 0; i < 7; i++) {
      const res = await e.send('POST', '/Users', { body: { schemas: [CORE_USER], userName: `import.${i}@okta.local`, active: true } });
      expect(res.status).toBe(201);
    }
    const seen: string[] = [];
    let start = 1;
    let total = Infinity;
    while (start <= total) {
      const page = await e.replay({ ...okta.importPage, query: { startIndex: String(start), count: '3' } });
      expect(page.status).toBe(200);
      total = page.body.totalResults;
      expect(page.body.startIndex).toBe(start);
      seen.push(...page.body.Resources.map((r: { id: string }) => r.id));
      start += 3;
    }
    expect(total).toBe(8);
    expect(new Set(seen).size).toBe(8);
    const whole = await e.replay(okta.importPage);
    expect(whole.body.Resources.map((r: { id: string }) => r.id)).toEqual(seen);
  });

  it('Okta: missing or wrong token → 401 with a SCIM error body', async () => {
    for (const token of [null, 'ffscim_wrong', 'not-even-a-token']) {
      const res = await e.send('GET', '/Users', { token, headers: { 'User-Agent': 'Okta SCIM Client 1.0.0' } });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe(SCIM_JSON);
      expect(res.body).toEqual({ schemas: [ERROR_SCHEMA], status: '401', detail: expect.any(String) });
    }
  });
});
