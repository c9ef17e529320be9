import { describe, expect, test } from '@jest/globals';
import { forEachDatabase } from '@ffgate/testing';
import { InvalidValueError, NotFoundError, UniquenessError, type ScimJson } from '../../src/store/index.ts';
import { okta, outboxCount, unique, useStore, type StoreHarness } from './harness.ts';

async function user(h: StoreHarness, attrs: ScimJson = {}) {
  return h.store.create('User', { userName: unique('u'), ...attrs }, okta);
}

const memberValues = (resource: ScimJson) => (resource.members as { value: string }[]).map((m) => m.value).sort();

forEachDatabase('IdentityStore groups', (ctx) => {
  const h = useStore(ctx);

  describe('create and read', () => {
    test('stores members in group_members (de-duplicated) and shows them with display names', async () => {
      const ann = await user(h, { displayName: 'Ann' });
      const bob = await user(h);
      const g = await h.store.create(
        'Group',
        { displayName: unique('Eng'), externalId: 'ext-1', members: [{ value: ann.id, $ref: null }, { value: bob.id }, { value: ann.id }] },
        okta,
      );
      expect(g.version).toBe(1);
      expect(g.resource.externalId).toBe('ext-1');
      expect(g.resource.members).toEqual(
        expect.arrayContaining([
          { value: ann.id, display: 'Ann', type: 'User' },
          { value: bob.id, display: bob.resource.userName, type: 'User' },
        ]),
      );
      expect(g.resource.members).toHaveLength(2);
      expect(await h.store.get('Group', g.id)).toEqual(g);
      const annNow = await h.store.get('User', ann.id);
      expect(annNow!.resource.groups).toEqual([{ value: g.id, display: g.resource.displayName, type: 'direct' }]);
      expect(annNow!.version).toBe(2);
    });

    test('created event plus identity.user.updated for each new member with its groups', async () => {
      const a = await user(h);
      const b = await user(h);
      const name = unique('Ops');
      const g = await h.store.create('Group', { displayName: name, members: [{ value: a.id }, { value: b.id }] }, okta);
      const [groupEvent] = await h.events(g.id);
      expect(groupEvent).toMatchObject({ type: 'identity.group.created', version: 1, actor: 'okta' });
      expect(groupEvent.data.members.map((m: { id: string }) => m.id).sort()).toEqual([a.id, b.id].sort());
      for (const u of [a, b]) {
        const events = await h.events(u.id);
        expect(events.map((e) => [e.type, e.version])).toEqual([
          ['identity.user.created', 1],
          ['identity.user.updated', 2],
        ]);
        expect(events[1].data.groups).toEqual([{ id: g.id, displayName: name }]);
      }
    });

    test('an unknown member id → InvalidValueError naming it; no group, no membership, no event', async () => {
      const a = await user(h);
      const name = unique('Ghosts');
      const before = await outboxCount(h.database);
      const err = await h.store
        .create('Group', { displayName: name, members: [{ value: a.id }, { value: 'ghost-1' }] }, okta)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidValueError);
      expect((err as Error).message).toContain('ghost-1');
      expect((err as InvalidValueError).code).toBe('FFGATE_SCIM_INVALID_VALUE');
      const list = await h.store.list('Group', { filter: `displayName eq "${name}"`, startIndex: 1, count: 10 });
      expect(list.totalResults).toBe(0);
      expect((await h.store.get('User', a.id))!.version).toBe(1);
      expect(await outboxCount(h.database)).toBe(before);
    });

    test('a member of type Group, or a group id, → InvalidValueError (nested groups unsupported)', async () => {
      const g = await h.store.create('Group', { displayName: unique('Outer') }, okta);
      await expect(h.store.create('Group', { displayName: unique('n1'), members: [{ value: g.id, type: 'Group' }] }, okta)).rejects.toThrow(
        /nested groups/,
      );
      await expect(h.store.create('Group', { displayName: unique('n2'), members: [{ value: g.id }] }, okta)).rejects.toThrow(/nested groups/);
    });

    test('displayName is unique case-insensitively, also under a concurrent race', async () => {
      const name = unique('Sales');
      await h.store.create('Group', { displayName: name }, okta);
      await expect(h.store.create('Group', { displayName: name.toLowerCase() === name ? name.toUpperCase() : name.toLowerCase() }, okta)).rejects.toBeInstanceOf(
        UniquenessError,
      );
      const raced = unique('Race');
      const results = await Promise.allSettled([
        h.store.create('Group', { displayName: raced }, okta),
        h.store.create('Group', { displayName: raced.toUpperCase() }, okta),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
      expect(rejected.reason).toMatchObject({ code: 'FFGATE_SCIM_UNIQUENESS', attribute: 'displayName' });
    });
  });

  describe('membership changes', () => {
    test('add and remove: group event plus an updated event for each affected user, versions +1, groups after the change', async () => {
      const [a, b, c] = [await user(h), await user(h), await user(h)];
      const name = unique('Team');
      const g = await h.store.create('Group', { displayName: name, members: [{ value: a.id }, { value: b.id }] }, okta);
      // Entra-style: remove b, add c (and re-add a, which is already a member)
      const next = await h.store.update(
        'Group',
        g.id,
        (cur) => ({ ...cur.resource, members: [...(cur.resource.members as ScimJson[]).filter((m) => m.value !== b.id), { value: c.id }, { value: a.id }] }),
        { actor: 'entra' },
      );
      expect(next.version).toBe(2);
      expect(memberValues(next.resource)).toEqual([a.id, c.id].sort());

      const groupEvents = await h.events(g.id);
      expect(groupEvents.map((e) => [e.type, e.version])).toEqual([
        ['identity.group.created', 1],
        ['identity.group.updated', 2],
      ]);
      expect(groupEvents[1].data.members.map((m: { id: string }) => m.id).sort()).toEqual([a.id, c.id].sort());

      // a's groups did not change in the update: no event for a
      expect((await h.events(a.id)).map((e) => e.version)).toEqual([1, 2]);
      const bEvents = await h.events(b.id);
      expect(bEvents.map((e) => [e.type, e.version, e.actor])).toEqual([
        ['identity.user.created', 1, 'okta'],
        ['identity.user.updated', 2, 'okta'],
        ['identity.user.updated', 3, 'entra'],
      ]);
      expect(bEvents[2].data.groups).toEqual([]);
      const cEvents = await h.events(c.id);
      expect(cEvents.map((e) => e.version)).toEqual([1, 2]);
      expect(cEvents[1].data.groups).toEqual([{ id: g.id, displayName: name }]);
      expect((await h.store.get('User', c.id))!.version).toBe(2);
      expect((await h.store.get('User', b.id))!.resource.groups).toEqual([]);
    });

    test('an identical member list (in another order) is a no-op', async () => {
      const [a, b] = [await user(h), await user(h)];
      const g = await h.store.create('Group', { displayName: unique('Stable'), members: [{ value: a.id }, { value: b.id }] }, okta);
      const before = await outboxCount(h.database);
      const same = await h.store.update('Group', g.id, (cur) => ({ ...cur.resource, members: [{ value: b.id }, { value: a.id }] }), okta);
      expect(same.version).toBe(1);
      expect(await outboxCount(h.database)).toBe(before);
    });

    test('adding an unknown member → InvalidValueError and nothing changes', async () => {
      const a = await user(h);
      const g = await h.store.create('Group', { displayName: unique('Closed') }, okta);
      const before = await outboxCount(h.database);
      await expect(
        h.store.update('Group', g.id, (cur) => ({ ...cur.resource, displayName: 'renamed', members: [{ value: a.id }, { value: 'nobody' }] }), okta),
      ).rejects.toThrow(/"nobody"/);
      const now = await h.store.get('Group', g.id);
      expect(now).toEqual(g);
      expect((await h.store.get('User', a.id))!.version).toBe(1);
      expect(await outboxCount(h.database)).toBe(before);
    });

    test('a rename emits identity.user.updated for every member with the new displayName', async () => {
      const [a, b] = [await user(h), await user(h)];
      const g = await h.store.create('Group', { displayName: unique('Old'), members: [{ value: a.id }, { value: b.id }] }, okta);
      const newName = unique('New');
      const renamed = await h.store.update('Group', g.id, (cur) => ({ ...cur.resource, displayName: newName }), okta);
      expect(renamed.version).toBe(2);
      for (const u of [a, b]) {
        const events = await h.events(u.id);
        expect(events.map((e) => e.version)).toEqual([1, 2, 3]);
        expect(events[2]).toMatchObject({ type: 'identity.user.updated', data: { groups: [{ id: g.id, displayName: newName }] } });
        expect((await h.store.get('User', u.id))!.resource.groups).toEqual([{ value: g.id, display: newName, type: 'direct' }]);
      }
    });

    test('changing another attribute (externalId) emits only the group event', async () => {
      const a = await user(h);
      const g = await h.store.create('Group', { displayName: unique('Ext'), members: [{ value: a.id }] }, okta);
      await h.store.update('Group', g.id, (cur) => ({ ...cur.resource, externalId: 'x-2' }), okta);
      expect((await h.events(g.id)).map((e) => e.type)).toEqual(['identity.group.created', 'identity.group.updated']);
      expect((await h.events(a.id)).map((e) => e.version)).toEqual([1, 2]);
    });

    test('unknown group → NotFoundError', async () => {
      await expect(h.store.update('Group', 'missing', (cur) => cur.resource, okta)).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('deletes', () => {
    test('deleting a group: group.deleted with its last members, then identity.user.updated for each former member', async () => {
      const [a, b] = [await user(h), await user(h)];
      const g = await h.store.create('Group', { displayName: unique('Doomed'), members: [{ value: a.id }, { value: b.id }] }, okta);
      await h.store.delete('Group', g.id, { actor: 'okta' });
      expect(await h.store.get('Group', g.id)).toBeNull();
      const [, deleted] = await h.events(g.id);
      expect(deleted).toMatchObject({ type: 'identity.group.deleted', version: 2 });
      expect(deleted.data.members).toHaveLength(2);
      for (const u of [a, b]) {
        const events = await h.events(u.id);
        expect(events.at(-1)).toMatchObject({ type: 'identity.user.updated', version: 3, data: { groups: [] } });
        expect((await h.store.get('User', u.id))!.resource.groups).toEqual([]);
      }
    });

    test('deleting a user: user.deleted, then identity.group.updated for each group that lost them', async () => {
      const [a, b] = [await user(h), await user(h)];
      const g1 = await h.store.create('Group', { displayName: unique('G1'), members: [{ value: a.id }, { value: b.id }] }, okta);
      const g2 = await h.store.create('Group', { displayName: unique('G2'), members: [{ value: a.id }] }, okta);
      await h.store.delete('User', a.id, okta);
      const aEvents = await h.events(a.id);
      expect(aEvents.at(-1)).toMatchObject({ type: 'identity.user.deleted', version: 4 });
      expect(aEvents.at(-1)!.data.groups.map((x: { id: string }) => x.id).sort()).toEqual([g1.id, g2.id].sort());
      const g1Events = await h.events(g1.id);
      expect(g1Events.at(-1)).toMatchObject({ type: 'identity.group.updated', version: 2 });
      expect(g1Events.at(-1)!.data.members.map((m: { id: string }) => m.id)).toEqual([b.id]);
      expect((await h.events(g2.id)).at(-1)).toMatchObject({ type: 'identity.group.updated', version: 2, data: { members: [] } });
      expect(memberValues((await h.store.get('Group', g1.id))!.resource)).toEqual([b.id]);
      expect((await h.store.get('Group', g2.id))!.version).toBe(2);
    });
  });
});
