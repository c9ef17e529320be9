import { describe, expect, test } from '@jest/globals';
import { forEachDatabase } from '@ffgate/testing';
import { createIdentityStore, InvalidValueError, NotFoundError, PreconditionFailedError, UniquenessError } from '../../src/store/index.ts';
import { okta, unique, useStore } from './harness.ts';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

forEachDatabase('IdentityStore users', (ctx) => {
  const h = useStore(ctx);

  describe('create and read', () => {
    test('round-trips the resource, strips store-owned attributes and password, records version 1', async () => {
      const userName = unique('alice');
      const created = await h.store.create(
        'User',
        {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
          id: 'client-chosen',
          meta: { resourceType: 'User' },
          password: 'hunter2',
          groups: [{ value: 'g1' }],
          userName,
          externalId: '00u1',
          name: { givenName: 'Alice', familyName: 'Liddell' },
          emails: [{ value: `${userName}@example.com`, type: 'work', primary: true }],
          [ENTERPRISE]: { department: 'R&D', manager: { value: 'm1' } },
        },
        okta,
      );
      expect(created.id).not.toBe('client-chosen');
      expect(created.version).toBe(1);
      expect(created.created).toBeInstanceOf(Date);
      expect(created.resource).not.toHaveProperty('password');
      expect(created.resource).not.toHaveProperty('id');
      expect(created.resource).not.toHaveProperty('meta');
      expect(created.resource).toMatchObject({ userName, externalId: '00u1', active: true, groups: [] });

      const read = await h.store.get('User', created.id);
      expect(read).toEqual(created);
      expect(read!.resource[ENTERPRISE]).toEqual({ department: 'R&D', manager: { value: 'm1' } });
    });

    test('clock and ids options decide created/lastModified, event time and the id', async () => {
      const at = new Date('2030-01-02T03:04:05.678Z');
      const id = unique('pinned-id');
      const pinned = createIdentityStore({ database: h.database, clock: () => at, ids: () => id });
      const u = await pinned.create('User', { userName: unique('pinned') }, okta);
      expect(u).toMatchObject({ id, created: at, lastModified: at });
      expect((await h.events(id))[0].time).toBe('2030-01-02T03:04:05.678Z');
    });

    test('get of an unknown id is null', async () => {
      expect(await h.store.get('User', 'no-such-user')).toBeNull();
    });

    test('nulls mean "not set" and are not stored; "False" strings become booleans', async () => {
      const u = await h.store.create('User', { userName: unique('entra'), phoneNumbers: null, active: 'False' }, okta);
      expect(u.resource).not.toHaveProperty('phoneNumbers');
      expect(u.resource.active).toBe(false);
    });

    test('a user without userName is refused', async () => {
      await expect(h.store.create('User', { displayName: 'x' }, okta)).rejects.toBeInstanceOf(InvalidValueError);
    });

    test('writes the actor and the created event', async () => {
      const u = await h.store.create('User', { userName: unique('ev') }, { actor: 'entra' });
      const [event] = await h.events(u.id);
      expect(event).toMatchObject({ type: 'identity.user.created', subject: `identity.user.created.${u.id}`, version: 1, actor: 'entra' });
      expect(event.data).toMatchObject({ id: u.id, active: true, groups: [], displayName: null });
      expect(new Date(event.time).getTime()).toBe(u.lastModified.getTime());
    });
  });

  describe('uniqueness of userName', () => {
    test('differs only in case → UniquenessError, nothing written', async () => {
      const userName = unique('Bob');
      await h.store.create('User', { userName }, okta);
      const before = (await h.events()).length;
      const err = await h.store.create('User', { userName: userName.toUpperCase() }, okta).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UniquenessError);
      expect(err).toMatchObject({ code: 'FFGATE_SCIM_UNIQUENESS', attribute: 'userName' });
      expect((await h.events()).length).toBe(before);
    });

    test('renaming onto a taken userName → UniquenessError', async () => {
      const taken = unique('taken');
      await h.store.create('User', { userName: taken }, okta);
      const u = await h.store.create('User', { userName: unique('free') }, okta);
      await expect(h.store.update('User', u.id, (cur) => ({ ...cur.resource, userName: taken.toUpperCase() }), okta)).rejects.toBeInstanceOf(
        UniquenessError,
      );
      expect((await h.store.get('User', u.id))!.version).toBe(1);
    });

    test('two concurrent creates of the same userName: one wins, the other gets UniquenessError', async () => {
      const userName = unique('race');
      const results = await Promise.allSettled([
        h.store.create('User', { userName }, okta),
        h.store.create('User', { userName: userName.toUpperCase() }, okta),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(rejected).toHaveLength(1);
      expect(rejected[0].reason).toBeInstanceOf(UniquenessError);
      const list = await h.store.list('User', { filter: `userName eq "${userName}"`, startIndex: 1, count: 10 });
      expect(list.totalResults).toBe(1);
    });
  });

  describe('update', () => {
    test('replaces the resource, bumps the version, records last_modified and emits updated', async () => {
      const u = await h.store.create('User', { userName: unique('upd'), title: 'Dev' }, okta);
      const next = await h.store.update('User', u.id, (cur) => ({ ...cur.resource, title: 'Lead' }), { actor: 'entra' });
      expect(next.version).toBe(2);
      expect(next.resource.title).toBe('Lead');
      expect(next.lastModified.getTime()).toBeGreaterThanOrEqual(u.lastModified.getTime());
      expect(await h.store.get('User', u.id)).toEqual(next);
      const events = await h.events(u.id);
      expect(events.map((e) => [e.type, e.version, e.actor])).toEqual([
        ['identity.user.created', 1, 'okta'],
        ['identity.user.updated', 2, 'entra'],
      ]);
      expect(events[1].data.title).toBe('Lead');
    });

    test('the mutation gets the current state including groups, and groups in its result are ignored', async () => {
      const u = await h.store.create('User', { userName: unique('mut') }, okta);
      let seen: unknown;
      await h.store.update(
        'User',
        u.id,
        (cur) => {
          seen = cur;
          return { ...cur.resource, groups: [{ value: 'forged' }], nickName: 'n' };
        },
        okta,
      );
      expect(seen).toEqual(u);
      expect((await h.store.get('User', u.id))!.resource.groups).toEqual([]);
    });

    test('an identical re-send changes nothing: same version, no event', async () => {
      const u = await h.store.create('User', { userName: unique('same'), emails: [{ value: 'a@x', type: 'work' }] }, okta);
      const again = await h.store.update('User', u.id, (cur) => JSON.parse(JSON.stringify({ ...cur.resource })), okta);
      expect(again.version).toBe(1);
      expect(again.lastModified).toEqual(u.lastModified);
      expect(await h.events(u.id)).toHaveLength(1);
    });

    test('If-Match with a stale version → PreconditionFailedError, nothing written', async () => {
      const u = await h.store.create('User', { userName: unique('etag') }, okta);
      const err = await h.store.update('User', u.id, (cur) => ({ ...cur.resource, title: 'x' }), { actor: 'okta', ifVersion: 7 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PreconditionFailedError);
      expect(err).toMatchObject({ code: 'FFGATE_SCIM_PRECONDITION_FAILED', expectedVersion: 7, actualVersion: 1 });
      expect((await h.store.get('User', u.id))!.version).toBe(1);
      const ok = await h.store.update('User', u.id, (cur) => ({ ...cur.resource, title: 'x' }), { actor: 'okta', ifVersion: 1 });
      expect(ok.version).toBe(2);
    });

    test('unknown id → NotFoundError', async () => {
      await expect(h.store.update('User', 'missing', (cur) => cur.resource, okta)).rejects.toBeInstanceOf(NotFoundError);
      await expect(h.store.delete('User', 'missing', okta)).rejects.toMatchObject({ code: 'FFGATE_SCIM_NOT_FOUND' });
    });

    test("the mutation's own error is rethrown untouched and nothing is written", async () => {
      const u = await h.store.create('User', { userName: unique('bad-patch') }, okta);
      const patchError = Object.assign(new Error('invalid path'), { status: 400 });
      await expect(
        h.store.update('User', u.id, () => {
          throw patchError;
        }, okta),
      ).rejects.toBe(patchError);
      expect((await h.store.get('User', u.id))!.version).toBe(1);
    });
  });

  describe('deactivate, reactivate, delete', () => {
    test('active true→false is deactivated, false→true reactivated, other changes updated', async () => {
      const u = await h.store.create('User', { userName: unique('life') }, okta);
      await h.store.update('User', u.id, (cur) => ({ ...cur.resource, active: false, title: 'gone' }), okta);
      await h.store.update('User', u.id, (cur) => ({ ...cur.resource, title: 'still gone' }), okta);
      await h.store.update('User', u.id, (cur) => ({ ...cur.resource, active: true }), okta);
      const events = await h.events(u.id);
      expect(events.map((e) => [e.type, e.version, e.data.active])).toEqual([
        ['identity.user.created', 1, true],
        ['identity.user.deactivated', 2, false],
        ['identity.user.updated', 3, false],
        ['identity.user.reactivated', 4, true],
      ]);
      expect(events[1].data.title).toBe('gone');
    });

    test('delete removes the user and emits deleted with the last state and the next version', async () => {
      const u = await h.store.create('User', { userName: unique('del'), displayName: 'Del' }, okta);
      await h.store.update('User', u.id, (cur) => ({ ...cur.resource, title: 't' }), okta);
      await h.store.delete('User', u.id, { actor: 'onelogin' });
      expect(await h.store.get('User', u.id)).toBeNull();
      const events = await h.events(u.id);
      expect(events.at(-1)).toMatchObject({ type: 'identity.user.deleted', version: 3, actor: 'onelogin' });
      expect(events.at(-1)!.data).toMatchObject({ displayName: 'Del', title: 't' });
    });

    test('delete with a stale If-Match → PreconditionFailedError, user kept', async () => {
      const u = await h.store.create('User', { userName: unique('keep') }, okta);
      await expect(h.store.delete('User', u.id, { actor: 'okta', ifVersion: 2 })).rejects.toBeInstanceOf(PreconditionFailedError);
      expect(await h.store.get('User', u.id)).not.toBeNull();
    });
  });
});
