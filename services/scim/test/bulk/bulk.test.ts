import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { forEachDatabase } from '@ffgate/testing';
import { leniency } from '../../src/index.ts';
import { CORE_GROUP, CORE_USER, PATCH_OP, startOnDatabase, type Harness } from '../http/harness.ts';

const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const BULK_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

const bulk = (Operations: unknown[], extra: Record<string, unknown> = {}) => ({ schemas: [BULK_REQUEST], Operations, ...extra });
const newUser = (userName: string, extra: Record<string, unknown> = {}) => ({ schemas: [CORE_USER], userName, ...extra });
const postUser = (bulkId: string, userName: string, extra: Record<string, unknown> = {}) => ({ method: 'POST', path: '/Users', bulkId, data: newUser(userName, extra) });
const idOf = (location: string) => location.split('/').at(-1)!;

forEachDatabase('SCIM /Bulk (RFC 7644 §3.7)', (ctx) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startOnDatabase(await ctx.open(), { leniency });
  });
  afterAll(async () => h?.close());

  it('creates a group whose members are users created by bulkId in the same request (dependency order, not request order)', async () => {
    const res = await h.scim('POST', '/Bulk', {
      body: bulk([
        { method: 'POST', path: '/Groups', bulkId: 'g1', data: { schemas: [CORE_GROUP], displayName: 'Bulk Team', members: [{ value: 'bulkId:u1' }, { value: 'bulkId:u2' }] } },
        postUser('u1', 'bulk.one'),
        postUser('u2', 'bulk.two'),
      ]),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/scim+json; charset=utf-8');
    expect(res.body.schemas).toEqual([BULK_RESPONSE]);
    const [group, u1, u2] = res.body.Operations;
    for (const op of [group, u1, u2]) expect(op).toEqual({ method: 'POST', bulkId: expect.any(String), status: '201', location: expect.any(String), version: 'W/"1"' });
    expect(u1.location).toBe(`${h.url}/scim/v2/Users/${idOf(u1.location)}`);
    const stored = await h.scim('GET', `/Groups/${idOf(group.location)}`);
    expect(stored.body.members.map((m: { value: string }) => m.value).sort()).toEqual([idOf(u1.location), idOf(u2.location)].sort());
    expect(stored.body.members.map((m: { display: string }) => m.display).sort()).toEqual(['bulk.one', 'bulk.two']);
  });

  it('PUT, PATCH (through the IdP leniency: capitalised op, string "False") and DELETE on existing resources, with bulkId in paths', async () => {
    const res = await h.scim('POST', '/Bulk', {
      body: bulk([
        postUser('p1', 'bulk.patch', { title: 'Before' }),
        { method: 'PATCH', path: '/Users/bulkId:p1', data: { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] } },
        { method: 'PUT', path: '/Users/bulkId:p1', data: newUser('bulk.patch', { title: 'After', active: false }) },
        postUser('d1', 'bulk.delete'),
        { method: 'delete', path: '/Users/bulkId:d1' },
      ]),
    });
    expect(res.body.Operations.map((o: { status: string }) => o.status)).toEqual(['201', '200', '200', '201', '204']);
    const patched = await h.scim('GET', `/Users/${idOf(res.body.Operations[0].location)}`);
    expect(patched.body).toMatchObject({ active: false, title: 'After' });
    expect(patched.body.meta.version).toBe('W/"3"');
    expect(res.body.Operations[2].version).toBe('W/"3"');
    expect(res.body.Operations[4]).toMatchObject({ method: 'DELETE', status: '204' });
    expect((await h.scim('GET', `/Users/${idOf(res.body.Operations[3].location)}`)).status).toBe(404);
  });

  it('per-operation errors are SCIM error bodies with string status; other operations still run', async () => {
    await h.scim('POST', '/Users', { body: newUser('bulk.taken') });
    const res = await h.scim('POST', '/Bulk', {
      body: bulk([
        postUser('dup', 'BULK.taken'),
        postUser('bad', 'bulk.bad', { active: 'maybe' }),
        { method: 'PATCH', path: '/Users/does-not-exist', data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'x' }] } },
        { method: 'POST', path: '/Devices', bulkId: 'dev', data: {} },
        postUser('ok', 'bulk.ok'),
      ]),
    });
    const [dup, bad, missing, device, ok] = res.body.Operations;
    expect(dup).toEqual({ method: 'POST', bulkId: 'dup', status: '409', response: { schemas: [ERROR_SCHEMA], status: '409', scimType: 'uniqueness', detail: expect.any(String) } });
    expect(bad.status).toBe('400');
    expect(bad.response.scimType).toBe('invalidValue');
    expect(missing).toMatchObject({ method: 'PATCH', status: '404', response: { status: '404' } });
    expect(device).toMatchObject({ status: '400', response: { scimType: 'invalidPath' } });
    expect(ok.status).toBe('201');
  });

  it('failOnErrors stops after that many errors; operations after it are not run nor reported', async () => {
    const res = await h.scim('POST', '/Bulk', {
      body: bulk([postUser('f1', 'bulk.fail.1'), postUser('f2', 'bulk.fail.1'), postUser('f3', 'bulk.fail.3'), postUser('f4', 'bulk.fail.1'), postUser('f5', 'bulk.fail.5')], { failOnErrors: 2 }),
    });
    expect(res.body.Operations.map((o: { bulkId: string; status: string }) => `${o.bulkId}:${o.status}`)).toEqual(['f1:201', 'f2:409', 'f3:201', 'f4:409']);
    const notRun = await h.scim('GET', `/Users?filter=${encodeURIComponent('userName eq "bulk.fail.5"')}`);
    expect(notRun.body.totalResults).toBe(0);
  });

  it('version is the operation’s If-Match: a stale version → 412, the current one → 200', async () => {
    const created = await h.scim('POST', '/Users', { body: newUser('bulk.etag') });
    const path = `/Users/${created.body.id}`;
    const replace = (version: string, title: string) => ({ method: 'PATCH', path, version, data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: title }] } });
    const res = await h.scim('POST', '/Bulk', { body: bulk([replace('W/"7"', 'stale'), replace('W/"1"', 'fresh')]) });
    expect(res.body.Operations.map((o: { status: string }) => o.status)).toEqual(['412', '200']);
    expect(res.body.Operations[1].version).toBe('W/"2"');
    expect((await h.scim('GET', path)).body.title).toBe('fresh');
  });

  it('circular bulkId references → 409 for the operations on the cycle; unknown and failed references are refused too', async () => {
    const manager = (bulkId: string) => ({ 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { manager: { value: `bulkId:${bulkId}` } } });
    const res = await h.scim('POST', '/Bulk', {
      body: bulk([
        postUser('a', 'bulk.cycle.a', manager('b')),
        postUser('b', 'bulk.cycle.b', manager('a')),
        postUser('self', 'bulk.cycle.self', manager('self')),
        postUser('x', 'bulk.unknown.ref', manager('nobody')),
        postUser('fails', 'bulk.fails', { active: 'maybe' }),
        { method: 'POST', path: '/Groups', bulkId: 'gf', data: { schemas: [CORE_GROUP], displayName: 'Needs failed', members: [{ value: 'bulkId:fails' }] } },
      ]),
    });
    const byId = Object.fromEntries(res.body.Operations.map((o: { bulkId: string }) => [o.bulkId, o]));
    expect(byId.a.status).toBe('409');
    expect(byId.b.status).toBe('409');
    expect(byId.self.status).toBe('409');
    expect(byId.a.response.detail).toMatch(/circular/);
    expect(byId.x).toMatchObject({ status: '400', response: { scimType: 'invalidValue' } });
    expect(byId.fails.status).toBe('400');
    expect(byId.gf.status).toBe('409');
    const names = (await h.scim('GET', '/Users', {})).body.Resources.map((u: { userName: string }) => u.userName);
    expect(names).not.toEqual(expect.arrayContaining(['bulk.cycle.a']));
  });

  it('more than maxOperations → 413 SCIM error and nothing written', async () => {
    const ops = Array.from({ length: 1001 }, (_, i) => ({ method: 'DELETE', path: `/Users/none-${i}` }));
    const res = await h.scim('POST', '/Bulk', { body: bulk(ops) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ schemas: [ERROR_SCHEMA], status: '413', detail: expect.stringContaining('maxOperations') });
  });

  it('a body over maxPayloadSize (1 MiB) → 413 SCIM error; just under it is processed', async () => {
    const over = await h.scim('POST', '/Bulk', { body: bulk([postUser('big', 'bulk.big', { title: 'x'.repeat(1024 * 1024) })]) });
    expect(over.status).toBe(413);
    expect(over.body).toEqual({ schemas: [ERROR_SCHEMA], status: '413', detail: expect.stringContaining('maxPayloadSize') });
    const under = await h.scim('POST', '/Bulk', { body: bulk([postUser('big', 'bulk.big', { title: 'x'.repeat(1024 * 1024 - 500) })]) });
    expect(under.status).toBe(200);
    expect(under.body.Operations[0].status).toBe('201');
  });

  it('an invalid BulkRequest is a 400 before anything runs; GET /Bulk → 405', async () => {
    expect((await h.scim('POST', '/Bulk', { body: { Operations: [] } })).body).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    const noBulkId = await h.scim('POST', '/Bulk', { body: bulk([{ method: 'POST', path: '/Users', data: newUser('bulk.nobulkid') }]) });
    expect(noBulkId.status).toBe(400);
    const reused = await h.scim('POST', '/Bulk', { body: bulk([postUser('same', 'bulk.same.1'), postUser('same', 'bulk.same.2')]) });
    expect(reused.status).toBe(400);
    expect((await h.scim('POST', '/Bulk', { body: bulk([], { failOnErrors: 0 }) })).status).toBe(400);
    expect((await h.scim('GET', '/Users?filter=userName%20sw%20%22bulk.same%22')).body.totalResults).toBe(0);
    expect((await h.scim('GET', '/Bulk')).status).toBe(405);
  });
});
