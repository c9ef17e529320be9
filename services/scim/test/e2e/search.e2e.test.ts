import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { forEachDatabase } from '@ffgate/testing';
import { CORE_GROUP, CORE_USER } from '../leniency/idp-fixtures.ts';
import { startE2E, type E2E } from './harness.ts';

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const search = (extra: Record<string, unknown> = {}) => ({ body: { schemas: [SEARCH], ...extra } });

forEachDatabase('POST /.search at the root (RFC 7644 §3.4.3)', (ctx) => {
  let e: E2E;
  const users: string[] = [];
  const groups: string[] = [];

  beforeAll(async () => {
    e = await startE2E(await ctx.open());
    for (const name of ['srch.a', 'srch.b', 'srch.c']) {
      users.push((await e.send('POST', '/Users', { body: { schemas: [CORE_USER], userName: name, displayName: `Srch ${name}` } })).body.id);
    }
    for (const name of ['Srch Group 1', 'Srch Group 2']) {
      groups.push((await e.send('POST', '/Groups', { body: { schemas: [CORE_GROUP], displayName: name } })).body.id);
    }
  });
  afterAll(async () => e?.close());

  const ids = (body: { Resources: Array<{ id: string }> }) => body.Resources.map((r) => r.id);

  it('returns users then groups with totalResults summed', async () => {
    const res = await e.send('POST', '/.search', search());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totalResults: 5, startIndex: 1, itemsPerPage: 5 });
    expect(ids(res.body)).toEqual([...users, ...groups]);
    expect(res.body.Resources.map((r: { schemas: string[] }) => r.schemas[0])).toEqual([CORE_USER, CORE_USER, CORE_USER, CORE_GROUP, CORE_GROUP]);
  });

  it('pages across the union: windows spanning both types, inside groups only, and past the end', async () => {
    const all = [...users, ...groups];
    for (const [startIndex, count] of [[1, 2], [3, 2], [4, 1], [5, 10], [2, 3]] as const) {
      const res = await e.send('POST', '/.search', search({ startIndex, count }));
      expect(res.body).toMatchObject({ totalResults: 5, startIndex });
      expect(ids(res.body)).toEqual(all.slice(startIndex - 1, startIndex - 1 + count));
    }
    const past = await e.send('POST', '/.search', search({ startIndex: 6, count: 5 }));
    expect(past.body).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
  });

  it('count: 0 answers only totalResults (root and per resource type)', async () => {
    const root = await e.send('POST', '/.search', search({ count: 0 }));
    expect(root.status).toBe(200);
    expect(root.body).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
    const perType = await e.send('POST', '/Users/.search', search({ count: 0 }));
    expect(perType.status).toBe(200);
    expect(perType.body).toMatchObject({ totalResults: 3, itemsPerPage: 0, Resources: [] });
  });

  it('a filter on an attribute only users have returns users; one both types have searches both', async () => {
    const byUserName = await e.send('POST', '/.search', search({ filter: 'userName sw "SRCH."' }));
    expect(byUserName.status).toBe(200);
    expect(ids(byUserName.body)).toEqual(users);
    const byDisplayName = await e.send('POST', '/.search', search({ filter: 'displayName sw "Srch"', startIndex: 3, count: 2 }));
    expect(byDisplayName.body.totalResults).toBe(5);
    expect(ids(byDisplayName.body)).toEqual([users[2], groups[0]]);
  });

  it('attributes projection and sortBy apply per type', async () => {
    const res = await e.send('POST', '/.search', search({ attributes: ['displayName'], sortBy: 'displayName', sortOrder: 'descending' }));
    expect(res.status).toBe(200);
    expect(res.body.Resources.map((r: { displayName: string }) => r.displayName)).toEqual(['Srch srch.c', 'Srch srch.b', 'Srch srch.a', 'Srch Group 2', 'Srch Group 1']);
    for (const r of res.body.Resources) expect(Object.keys(r).sort()).toEqual(['displayName', 'id', 'schemas']);
  });

  it('a filter no resource type understands → 400 invalidFilter; a malformed SearchRequest → 400', async () => {
    const unknown = await e.send('POST', '/.search', search({ filter: 'nosuchattribute eq "x"' }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.scimType).toBe('invalidFilter');
    expect((await e.send('POST', '/.search', { body: { schemas: ['urn:wrong'] } })).status).toBe(400);
    expect((await e.send('POST', '/.search', search({ count: 'many' }))).status).toBe(400);
  });
});
