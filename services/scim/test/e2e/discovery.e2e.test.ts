import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { forEachDatabase } from '@ffgate/testing';
import { CORE_GROUP, CORE_USER, ENTERPRISE, PATCH_OP } from '../leniency/idp-fixtures.ts';
import { ERROR_SCHEMA, startE2E, type E2E } from './harness.ts';

/**
 * /ServiceProviderConfig, /ResourceTypes and /Schemas tell the truth: every advertised
 * capability is exercised, and a resource built from /Schemas alone round-trips exactly.
 */
interface Attribute {
  name: string;
  type: string;
  multiValued: boolean;
  mutability: string;
  returned: string;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: Attribute[];
}

/** a sample value for every writable attribute the schema lists */
function sample(attr: Attribute, path: string, overrides: Record<string, unknown>): unknown {
  if (path in overrides) return overrides[path];
  let single: unknown;
  switch (attr.type) {
    case 'complex': {
      const out: Record<string, unknown> = {};
      for (const sub of attr.subAttributes ?? []) {
        if (sub.mutability === 'readOnly') continue;
        const value = sample(sub, `${path}.${sub.name}`, overrides);
        if (value !== undefined) out[sub.name] = value;
      }
      single = out;
      break;
    }
    case 'boolean':
      single = true;
      break;
    case 'integer':
      single = 7;
      break;
    case 'decimal':
      single = 7.5;
      break;
    case 'dateTime':
      single = '2026-12-01T10:00:00.000Z';
      break;
    case 'binary':
      single = 'TUlJRFF6Q0NBcXlnQXdJQkFnSUNFQUF3';
      break;
    case 'reference':
      single = `https://example.com/${attr.name}`;
      break;
    default:
      single = attr.canonicalValues?.length ? attr.canonicalValues[0] : `${attr.name}-value`;
  }
  return attr.multiValued ? [single] : single;
}

function build(attributes: Attribute[], prefix: string, overrides: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const attr of attributes) {
    if (attr.mutability === 'readOnly') continue;
    const value = sample(attr, `${prefix}${attr.name}`, overrides);
    if (value !== undefined) out[attr.name] = value;
  }
  return out;
}

/** RFC 7643 §3.1 common attributes: part of every resource, not listed in resource schemas */
const COMMON = ['id', 'externalId', 'meta'];
const META = ['resourceType', 'created', 'lastModified', 'location', 'version'];

/** every key path of a returned resource must be an attribute the schema lists (or a common one) */
function unlisted(value: Record<string, unknown>, attributes: Attribute[], prefix = ''): string[] {
  const found: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    if (prefix === '' && COMMON.includes(key)) {
      if (key === 'meta') found.push(...Object.keys(child as object).filter((k) => !META.includes(k)).map((k) => `meta.${k}`));
      continue;
    }
    const attr = attributes.find((a) => a.name.toLowerCase() === key.toLowerCase());
    if (!attr) {
      found.push(`${prefix}${key}`);
      continue;
    }
    if (attr.type !== 'complex') continue;
    for (const item of Array.isArray(child) ? child : [child]) found.push(...unlisted(item as Record<string, unknown>, attr.subAttributes ?? [], `${prefix}${key}.`));
  }
  return found;
}

const withoutNeverReturned = (resource: Record<string, unknown>, attributes: Attribute[]) =>
  Object.fromEntries(Object.entries(resource).filter(([k]) => attributes.find((a) => a.name === k)?.returned !== 'never'));

forEachDatabase('SCIM discovery tells the truth', (ctx) => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E(await ctx.open());
  });
  afterAll(async () => e?.close());

  const schemaOf = async (id: string): Promise<Attribute[]> => (await e.send('GET', `/Schemas/${id}`)).body.attributes;

  describe('/Schemas lists exactly the attributes stored', () => {
    it('a User built only from /Schemas (core + enterprise) round-trips every listed writable attribute, and nothing unlisted comes back', async () => {
      const core = await schemaOf(CORE_USER);
      const enterprise = await schemaOf(ENTERPRISE);
      const manager = await e.send('POST', '/Users', { body: { schemas: [CORE_USER], userName: 'schema.manager', displayName: 'Manager' } });
      const sent = {
        schemas: [CORE_USER, ENTERPRISE],
        ...build(core, '', { userName: 'schema.full', 'emails.primary': true }),
        // manager.$ref is computed by the server from manager.value; displayName is readOnly
        [ENTERPRISE]: build(enterprise, '', { 'manager.value': manager.body.id, 'manager.$ref': undefined }),
      };
      expect(Object.keys(sent).length).toBeGreaterThan(15);
      const created = await e.send('POST', '/Users', { body: sent });
      expect(created.status).toBe(201);
      const got = (await e.send('GET', `/Users/${created.body.id}`)).body;

      const { id, meta, groups, schemas, [ENTERPRISE]: ext, ...coreBack } = got;
      expect(id).toBe(created.body.id);
      expect(schemas).toEqual([CORE_USER, ENTERPRISE]);
      const { schemas: _s, [ENTERPRISE]: sentExt, ...coreSent } = sent;
      expect(coreBack).toEqual(withoutNeverReturned(coreSent, core));
      expect(ext).toEqual({ ...(sentExt as object), manager: expect.objectContaining({ value: manager.body.id }) });
      expect(unlisted(coreBack, core)).toEqual([]);
      expect(unlisted(ext, enterprise)).toEqual([]);
      expect(unlisted({ id, meta, ...(groups ? { groups } : {}) }, core)).toEqual([]);
      expect(JSON.stringify(got)).not.toMatch(/password/);
    });

    it('a Group built only from /Schemas round-trips, members as users', async () => {
      const groupSchema = await schemaOf(CORE_GROUP);
      const member = await e.send('POST', '/Users', { body: { schemas: [CORE_USER], userName: 'schema.member', displayName: 'Member' } });
      const sent = { schemas: [CORE_GROUP], ...build(groupSchema, '', { displayName: 'Schema Group', 'members.value': member.body.id, 'members.$ref': undefined, 'members.display': 'Member' }) };
      const created = await e.send('POST', '/Groups', { body: sent });
      expect(created.status).toBe(201);
      const { id, meta, schemas, members, ...rest } = (await e.send('GET', `/Groups/${created.body.id}`)).body;
      const { schemas: _s, members: sentMembers, ...sentRest } = sent as Record<string, unknown>;
      expect(rest).toEqual(sentRest);
      expect(members).toEqual([{ ...(sentMembers as object[])[0], $ref: `${e.url}/scim/v2/Users/${member.body.id}` }]);
      expect(unlisted({ id, meta, ...rest, members }, groupSchema)).toEqual([]);
    });
  });

  describe('/ResourceTypes', () => {
    it('every advertised endpoint answers and its schema (and extensions) are listed in /Schemas', async () => {
      const types = (await e.send('GET', '/ResourceTypes')).body.Resources;
      const schemaIds = (await e.send('GET', '/Schemas')).body.Resources.map((s: { id: string }) => s.id);
      expect(types.map((t: { id: string }) => t.id).sort()).toEqual(['Group', 'User']);
      for (const type of types) {
        const list = await e.send('GET', type.endpoint);
        expect(list.status).toBe(200);
        expect(schemaIds).toContain(type.schema);
        for (const ext of type.schemaExtensions ?? []) expect(schemaIds).toContain(ext.schema);
        for (const resource of list.body.Resources) expect(resource.schemas).toContain(type.schema);
      }
    });
  });

  describe('/ServiceProviderConfig: each advertised capability works', () => {
    let config: Record<string, any>;
    let userId: string;
    beforeAll(async () => {
      config = (await e.send('GET', '/ServiceProviderConfig')).body;
      userId = (await e.send('POST', '/Users', { body: { schemas: [CORE_USER], userName: 'spc.user', title: 'a' } })).body.id;
    });

    it('patch.supported: a PatchOp is applied', async () => {
      expect(config.patch.supported).toBe(true);
      const res = await e.send('PATCH', `/Users/${userId}`, { body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'b' }] } });
      expect(res.status).toBe(200);
      expect(res.body.title).toBe('b');
    });

    it('bulk.supported with maxOperations: exactly maxOperations run, one more → 413', async () => {
      expect(config.bulk).toEqual({ supported: true, maxOperations: 1000, maxPayloadSize: 1048576 });
      const ops = (n: number) => Array.from({ length: n }, (_, i) => ({ method: 'DELETE', path: `/Groups/missing-${i}` }));
      const ok = await e.send('POST', '/Bulk', { body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: ops(config.bulk.maxOperations) } });
      expect(ok.status).toBe(200);
      expect(ok.body.Operations).toHaveLength(config.bulk.maxOperations);
      const over = await e.send('POST', '/Bulk', { body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: ops(config.bulk.maxOperations + 1) } });
      expect(over.status).toBe(413);
      const huge = await e.send('POST', '/Bulk', { body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [], pad: 'x'.repeat(config.bulk.maxPayloadSize) } });
      expect(huge.status).toBe(413);
    });

    it('filter.supported with maxResults: filters apply; count above maxResults is accepted and clamped to it', async () => {
      expect(config.filter.supported).toBe(true);
      const filtered = await e.send('GET', '/Users', { query: { filter: 'userName eq "SPC.USER"' } });
      expect(filtered.body.Resources.map((r: { id: string }) => r.id)).toEqual([userId]);
      const big = await e.send('GET', '/Users', { query: { count: String(config.filter.maxResults + 500) } });
      expect(big.status).toBe(200);
      expect(big.body.itemsPerPage).toBeLessThanOrEqual(config.filter.maxResults);
      expect(big.body.itemsPerPage).toBe(big.body.totalResults);
    });

    it('sort.supported: sortBy/sortOrder order the results', async () => {
      expect(config.sort.supported).toBe(true);
      const res = await e.send('GET', '/Users', { query: { sortBy: 'userName', sortOrder: 'descending' } });
      const names = res.body.Resources.map((r: { userName: string }) => r.userName);
      expect(names.length).toBeGreaterThan(2);
      expect(names).toEqual([...names].sort().reverse());
    });

    it('etag.supported: ETag is meta.version; If-None-Match → 304; a stale If-Match → 412', async () => {
      expect(config.etag.supported).toBe(true);
      const got = await e.send('GET', `/Users/${userId}`);
      expect(got.headers.get('etag')).toBe(got.body.meta.version);
      expect((await e.send('GET', `/Users/${userId}`, { headers: { 'If-None-Match': got.body.meta.version } })).status).toBe(304);
      const stale = await e.send('PATCH', `/Users/${userId}`, { headers: { 'If-Match': 'W/"999"' }, body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'c' }] } });
      expect(stale.status).toBe(412);
      expect(stale.body.schemas).toEqual([ERROR_SCHEMA]);
    });

    it('changePassword false: a password is accepted and dropped (never stored, returned or versioned) — users authenticate at their IdP', async () => {
      expect(config.changePassword.supported).toBe(false);
      const before = await e.send('GET', `/Users/${userId}`);
      const res = await e.send('PATCH', `/Users/${userId}`, { body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'password', value: 'N3w-secret' }] } });
      expect(res.status).toBe(200);
      expect(res.text).not.toMatch(/password|N3w-secret/);
      expect(res.body.meta.version).toBe(before.body.meta.version);
    });

    it('authenticationSchemes: the advertised bearer scheme is the one enforced', async () => {
      expect(config.authenticationSchemes).toEqual([expect.objectContaining({ type: 'oauthbearertoken', specUri: 'https://www.rfc-editor.org/info/rfc6750' })]);
      const anonymous = await e.send('GET', '/ServiceProviderConfig', { token: null });
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer /);
      expect((await e.send('GET', '/ServiceProviderConfig')).status).toBe(200);
    });
  });
});
