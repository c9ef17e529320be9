import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { forEachDatabase } from '@ffgate/testing';
import { CORE_USER, ENTERPRISE, entra, PATCH_OP } from '../leniency/idp-fixtures.ts';
import { containsNull, ERROR_SCHEMA, SCIM_JSON, startE2E, type E2E } from './harness.ts';

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
const newUser = (userName: string, extra: Record<string, unknown> = {}) => ({ schemas: [CORE_USER], userName, active: true, ...extra });

forEachDatabase('Entra ID end to end (full HTTP stack, outbox relay, bus)', (ctx) => {
  let e: E2E;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    e = await startE2E(await ctx.open());
  });
  afterAll(async () => e?.close());

  const eventsOf = (id: string) => e.events.filter((ev) => ev.resourceId === id);

  it('Entra ID: test connection with a random GUID → 200 empty ListResponse', async () => {
    const res = await e.replay(entra.testConnection);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(SCIM_JSON);
    expect(res.body).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });

  it('Entra ID: lookups before create (userName, externalId, work email) find nothing', async () => {
    for (const lookup of [entra.lookupByUserName, entra.lookupByExternalId, entra.lookupByWorkEmail]) {
      const res = await e.replay(lookup);
      expect(res.status).toBe(200);
      expect(res.body.totalResults).toBe(0);
    }
  });

  it('Entra ID: create with nulls, extra and typo URNs, meta and roles: [] → 201 without nulls, created event', async () => {
    const res = await e.replay(entra.createUser);
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe(SCIM_JSON);
    expect(containsNull(res.body)).toBe(false);
    ids.userId = res.body.id;
    expect(res.headers.get('location')).toBe(`${e.url}/scim/v2/Users/${ids.userId}`);
    expect(res.body).toMatchObject({ userName: 'Ryan.Wilson@contoso.com', externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef', active: true });
    expect(res.body[ENTERPRISE]).toEqual({ employeeNumber: '701984', department: 'Sales' });
    expect(res.body.phoneNumbers).toBeUndefined();
    const created = await e.waitForEvent((ev) => ev.resourceId === ids.userId && ev.type === 'identity.user.created');
    expect(created).toMatchObject({ version: 1, actor: e.connectionName });
  });

  it('Entra ID: lookups after create match case-insensitively (userName, externalId, work email value path)', async () => {
    const byName = await e.send('GET', '/Users', { query: { filter: 'userName eq "ryan.wilson@CONTOSO.com"' } });
    expect(byName.body.Resources.map((r: { id: string }) => r.id)).toEqual([ids.userId]);
    for (const lookup of [entra.lookupByUserName, entra.lookupByExternalId, entra.lookupByWorkEmail]) {
      const res = await e.replay(lookup);
      expect(res.status).toBe(200);
      expect(res.body.totalResults).toBe(1);
      expect(res.body.Resources[0].id).toBe(ids.userId);
    }
  });

  it('Entra ID: a user without emails never breaks the work email lookup; replacing its work email value creates it', async () => {
    const bare = await e.send('POST', '/Users', { body: newUser('no.mail@contoso.com') });
    expect(bare.status).toBe(201);
    ids.bareId = bare.body.id;
    const lookup = await e.send('GET', '/Users', { query: { filter: 'emails[type eq "work"].value eq "nobody@contoso.com"' } });
    expect(lookup.status).toBe(200);
    expect(lookup.body.totalResults).toBe(0);

    const res = await e.replay(entra.replaceWorkEmail, { userId: ids.bareId });
    expect(res.status).toBe(200);
    expect(res.body.emails).toEqual([expect.objectContaining({ type: 'work', value: 'ryan.w@contoso.com' })]);
  });

  it('Entra ID: replacing the existing work email by value path changes it in place', async () => {
    const res = await e.replay(entra.replaceWorkEmail, ids);
    expect(res.status).toBe(200);
    expect(res.body.emails).toEqual([expect.objectContaining({ type: 'work', value: 'ryan.w@contoso.com', primary: true })]);
  });

  it('Entra ID: manager as a bare string, re-sent unchanged (idempotent: no version bump, no event), then the old array shape', async () => {
    const manager = await e.send('POST', '/Users', { body: newUser('boss@contoso.com', { displayName: 'The Boss' }) });
    ids.managerId = manager.body.id;
    const first = await e.replay(entra.addManagerBareString, ids);
    expect(first.status).toBe(200);
    expect(first.body[ENTERPRISE].manager).toMatchObject({ value: ids.managerId });
    await e.settle();
    const eventsBefore = eventsOf(ids.userId!).length;

    const again = await e.replay(entra.addManagerBareString, ids);
    expect(again.status).toBe(200);
    expect(again.body.meta.version).toBe(first.body.meta.version);
    await e.settle();
    expect(eventsOf(ids.userId!).length).toBe(eventsBefore);

    const old = await e.replay(entra.replaceManagerOldShape, ids);
    expect(old.status).toBe(200);
    expect(old.body[ENTERPRISE].manager).toMatchObject({ value: ids.managerId });
    expect(Array.isArray(old.body[ENTERPRISE].manager)).toBe(false);
  });

  it("Entra ID: clearing with '' and with null both remove the attribute", async () => {
    for (const clear of [entra.clearWithEmptyString, entra.clearWithNull]) {
      const set = await e.send('PATCH', `/Users/${ids.userId}`, { body: patch({ op: 'Add', path: 'title', value: 'Manager' }) });
      expect(set.body.title).toBe('Manager');
      const res = await e.replay(clear, ids);
      expect(res.status).toBe(200);
      expect(res.body.title).toBeUndefined();
      expect((await e.send('GET', `/Users/${ids.userId}`)).body.title).toBeUndefined();
    }
  });

  it("Entra ID: disable with the string 'False' → active false, still readable, identity.user.deactivated on the bus; 'True' reactivates", async () => {
    const res = await e.replay(entra.disableWithoutFlag, ids);
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(false);
    const got = await e.send('GET', `/Users/${ids.userId}`);
    expect(got.status).toBe(200);
    expect(got.body.active).toBe(false);
    const version = Number(/\d+/.exec(res.body.meta.version)![0]);
    const event = await e.waitForEvent((ev) => ev.resourceId === ids.userId && ev.type === 'identity.user.deactivated');
    expect(event.version).toBe(version);
    expect(event.data).toMatchObject({ active: false });

    const enabled = await e.replay(entra.enableWithoutFlag, ids);
    expect(enabled.body.active).toBe(true);
    await e.waitForEvent((ev) => ev.resourceId === ids.userId && ev.type === 'identity.user.reactivated');
  });

  it('Entra ID: aadOptscim062020 no-path replace with dotted and URN keys', async () => {
    const res = await e.replay(entra.updateWithFlag, ids);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ displayName: 'Ryan W.', name: { givenName: 'Ryan', familyName: 'Wilson' }, active: false });
    expect(res.body[ENTERPRISE].employeeNumber).toBe('701985');
    expect(res.body['name.givenName']).toBeUndefined();
    await e.waitForEvent((ev) => ev.resourceId === ids.userId && ev.type === 'identity.user.deactivated' && ev.version === Number(/\d+/.exec(res.body.meta.version)![0]));
  });

  it('Entra ID: group created without members; a duplicate displayName → 409 uniqueness', async () => {
    const res = await e.replay(entra.createGroup);
    expect(res.status).toBe(201);
    expect(res.body.members ?? []).toEqual([]);
    ids.groupId = res.body.id;
    const dup = await e.replay(entra.createGroup);
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual({ schemas: [ERROR_SCHEMA], status: '409', scimType: 'uniqueness', detail: expect.any(String) });
  });

  it('Entra ID: add members with $ref null (sent twice) → each member once, display filled', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await e.replay(entra.addMembers, ids);
      expect(res.status).toBe(200);
      expect(containsNull(res.body)).toBe(false);
    }
    const got = await e.send('GET', `/Groups/${ids.groupId}`);
    const values = got.body.members.map((m: { value: string }) => m.value).sort();
    expect(values).toEqual([ids.userId, ids.managerId].sort());
    expect(got.body.members.find((m: { value: string }) => m.value === ids.managerId).display).toBe('The Boss');
  });

  it('Entra ID: excludedAttributes=members on the filtered list and on the single group', async () => {
    const list = await e.replay(entra.getGroupWithoutMembers);
    expect(list.body.totalResults).toBe(1);
    expect(list.body.Resources[0].id).toBe(ids.groupId);
    expect(list.body.Resources[0].members).toBeUndefined();
    const one = await e.send('GET', `/Groups/${ids.groupId}`, { query: { excludedAttributes: 'members' } });
    expect(one.body.displayName).toBe('Sales Team');
    expect(one.body.members).toBeUndefined();
  });

  it('Entra ID: remove members without and with the flag → only the listed member goes, the group never empties', async () => {
    const without = await e.replay(entra.removeMemberWithoutFlag, ids);
    expect(without.status).toBe(200);
    expect(without.body.members.map((m: { value: string }) => m.value)).toEqual([ids.managerId]);
    await e.replay(entra.addMembers, ids);
    const withFlag = await e.replay(entra.removeMemberWithFlag, ids);
    expect(withFlag.status).toBe(200);
    expect(withFlag.body.members.map((m: { value: string }) => m.value)).toEqual([ids.managerId]);
  });

  it('Entra ID: pagination over ≥ 11 users with startIndex/count=5 is complete, stable and correctly counted', async () => {
    for (let i = 0; i < 12; i++) expect((await e.send('POST', '/Users', { body: newUser(`page.${String(i).padStart(2, '0')}@contoso.com`) })).status).toBe(201);
    const total = (await e.send('GET', '/Users', { query: { count: '0' } })).body.totalResults as number;
    expect(total).toBeGreaterThanOrEqual(15);
    const seen: string[] = [];
    for (let start = 1; start <= total; start += 5) {
      const page = await e.send('GET', '/Users', { query: { startIndex: String(start), count: '5' } });
      expect(page.body).toMatchObject({ totalResults: total, startIndex: start, itemsPerPage: Math.min(5, total - start + 1) });
      seen.push(...page.body.Resources.map((r: { id: string }) => r.id));
    }
    expect(new Set(seen).size).toBe(total);
    const again = await e.send('GET', '/Users', { query: { startIndex: '6', count: '5' } });
    expect(again.body.Resources.map((r: { id: string }) => r.id)).toEqual(seen.slice(5, 10));
  });

  it('Entra ID: soft delete is a deactivation: the user stays, events keep strictly increasing versions', async () => {
    await e.replay(entra.enableWithoutFlag, ids);
    const res = await e.replay(entra.softDelete, ids);
    expect(res.body.active).toBe(false);
    expect((await e.send('GET', `/Users/${ids.userId}`)).status).toBe(200);
    await e.settle();
    const versions = eventsOf(ids.userId!).map((ev) => ev.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    expect(versions.at(-1)).toBe(Number(/\d+/.exec(res.body.meta.version)![0]));
  });
});

