import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { forEachDatabase } from '@ffgate/testing';
import { CORE_GROUP, ENTERPRISE, onelogin } from '../leniency/idp-fixtures.ts';
import { containsNull, startE2E, type E2E } from './harness.ts';

const versionOf = (body: { meta: { version: string } }) => Number(/\d+/.exec(body.meta.version)![0]);

forEachDatabase('OneLogin end to end (full HTTP stack, outbox relay, bus)', (ctx) => {
  let e: E2E;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    e = await startE2E(await ctx.open());
  });
  afterAll(async () => e?.close());

  it('OneLogin: template create (id: null, meta, "" values, "true" strings) → 201 with only what was set', async () => {
    expect((await e.replay(onelogin.lookupByUserName)).body.totalResults).toBe(0);
    const res = await e.replay(onelogin.templateCreate);
    expect(res.status).toBe(201);
    ids.userId = res.body.id;
    expect(ids.userId).toEqual(expect.any(String));
    expect(containsNull(res.body)).toBe(false);
    expect(res.body).toMatchObject({ userName: 'jane.doe@example.com', active: true, name: { givenName: 'Jane', familyName: 'Doe' } });
    expect(res.body.emails).toEqual([{ value: 'jane.doe@example.com', type: 'work', primary: true }]);
    for (const unset of ['externalId', 'displayName', 'title', 'phoneNumbers']) expect(res.body[unset]).toBeUndefined();
    expect(res.body.name.middleName).toBeUndefined();
    expect(res.body[ENTERPRISE]).toEqual({ employeeNumber: 'E-1001' });
    expect((await e.replay(onelogin.lookupByUserName)).body.totalResults).toBe(1);
  });

  it('OneLogin: template PUT (single-object emails, "False") updates and deactivates', async () => {
    const res = await e.replay(onelogin.templatePut, ids);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ displayName: 'Jane Doe-Smith', active: false, name: { familyName: 'Doe-Smith' } });
    expect(res.body.emails).toEqual([{ value: 'jane.doe@example.com', type: 'work', primary: true }]);
    expect(res.body[ENTERPRISE]).toEqual({ department: 'Finance', employeeNumber: 'E-1001' });
    const event = await e.waitForEvent((ev) => ev.resourceId === ids.userId && ev.version === versionOf(res.body));
    expect(event.type).toBe('identity.user.deactivated');
  });

  it('OneLogin: PATCH of emails with a single object replaces them', async () => {
    const res = await e.replay(onelogin.singleObjectEmails, ids);
    expect(res.status).toBe(200);
    expect(res.body.emails).toEqual([{ value: 'jane@new.example.com', type: 'work', primary: true }]);
  });

  it('OneLogin: group membership by PATCH add and remove', async () => {
    const group = await e.send('POST', '/Groups', { body: { schemas: [CORE_GROUP], displayName: 'OneLogin Finance' } });
    ids.groupId = group.body.id;
    const added = await e.replay(onelogin.addMember, ids);
    expect(added.body.members.map((m: { value: string }) => m.value)).toEqual([ids.userId]);
    const removed = await e.replay(onelogin.removeMember, ids);
    expect(removed.status).toBe(200);
    expect(removed.body.members ?? []).toEqual([]);
  });

  it('OneLogin: active false deprovisions (identity.user.deactivated) and hard DELETE deprovisions (identity.user.deleted)', async () => {
    // the suspend path: a second user deactivated through the template PUT shape
    const other = await e.send('POST', '/Users', { body: { ...onelogin.templateCreate.body, userName: 'john.roe@example.com', emails: [{ value: 'john.roe@example.com', type: 'work' }] } });
    expect(other.status).toBe(201);
    const suspended = await e.send('PUT', `/Users/${other.body.id}`, { body: { ...onelogin.templatePut.body, id: other.body.id, userName: 'john.roe@example.com' } });
    expect(suspended.body.active).toBe(false);
    await e.waitForEvent((ev) => ev.resourceId === other.body.id && ev.type === 'identity.user.deactivated');
    expect((await e.send('GET', `/Users/${other.body.id}`)).status).toBe(200);

    // the hard-delete path: a member of a group, so the delete also updates the group
    await e.replay(onelogin.addMember, ids);
    const res = await e.replay(onelogin.hardDelete, ids);
    expect(res.status).toBe(204);
    expect((await e.send('GET', `/Users/${ids.userId}`)).status).toBe(404);
    const deleted = await e.waitForEvent((ev) => ev.resourceId === ids.userId && ev.type === 'identity.user.deleted');
    expect(deleted.actor).toBe(e.connectionName);
    const group = await e.send('GET', `/Groups/${ids.groupId}`);
    expect(group.body.members ?? []).toEqual([]);
    expect((await e.replay(onelogin.hardDelete, ids)).status).toBe(404);
  });
});
