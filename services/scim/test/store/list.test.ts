import { expect, test } from '@jest/globals';
import { forEachDatabase } from '@ffgate/testing';
import { okta, unique, useStore } from './harness.ts';

forEachDatabase('IdentityStore list', (ctx) => {
  const h = useStore(ctx);

  test('filter, sort and page in SQL; totalResults counts all matches', async () => {
    const tag = unique('page').toLowerCase();
    for (let i = 0; i < 11; i++) await h.store.create('User', { userName: `${tag}-${String(i).padStart(2, '0')}`, title: tag }, okta);
    const query = { filter: `title eq "${tag}"`, sortBy: 'userName', sortOrder: 'descending' as const };
    const page1 = await h.store.list('User', { ...query, startIndex: 1, count: 5 });
    const page3 = await h.store.list('User', { ...query, startIndex: 11, count: 5 });
    expect(page1.totalResults).toBe(11);
    expect(page1.resources.map((r) => r.resource.userName)).toEqual([10, 9, 8, 7, 6].map((i) => `${tag}-${String(i).padStart(2, '0')}`));
    expect(page3.resources.map((r) => r.resource.userName)).toEqual([`${tag}-00`]);
    const past = await h.store.list('User', { ...query, startIndex: 50, count: 5 });
    expect(past).toEqual({ totalResults: 11, resources: [] });
    const countOnly = await h.store.list('User', { ...query, startIndex: 1, count: 0 });
    expect(countOnly).toEqual({ totalResults: 11, resources: [] });
  });

  test('listed users carry their groups, listed groups their members (filterable by members.display)', async () => {
    const u = await h.store.create('User', { userName: unique('lister'), displayName: unique('Shown') }, okta);
    const g = await h.store.create('Group', { displayName: unique('Listed'), members: [{ value: u.id }] }, okta);
    const users = await h.store.list('User', { filter: `userName eq "${u.resource.userName}"`, startIndex: 1, count: 10 });
    expect(users.resources[0].resource.groups).toEqual([{ value: g.id, display: g.resource.displayName, type: 'direct' }]);
    const groups = await h.store.list('Group', { filter: `members.display eq "${u.resource.displayName}"`, startIndex: 1, count: 10 });
    expect(groups.resources.map((r) => r.id)).toEqual([g.id]);
    expect(groups.resources[0]).toEqual(await h.store.get('Group', g.id));
  });

  test('an invalid filter is a 400 query error, not a store outage', async () => {
    await expect(h.store.list('User', { filter: 'userName eq', startIndex: 1, count: 10 })).rejects.toMatchObject({ code: 'FFGATE_SCIM_INVALID_FILTER' });
  });
});
