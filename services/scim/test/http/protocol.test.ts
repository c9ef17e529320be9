import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { forEachDatabase } from '@ffgate/testing';
import { MAX_PAGE_SIZE } from '../../src/query/index.ts';
import { ENV_TOKEN, startOnDatabase, user, type Harness } from './harness.ts';

const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

forEachDatabase('SCIM protocol handling over HTTP', (ctx) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startOnDatabase(await ctx.open());
  });
  afterAll(async () => h?.close());

  describe('request bodies', () => {
    it('malformed JSON → 400 invalidSyntax as a SCIM error', async () => {
      const res = await h.scim('POST', '/Users', { raw: '{"userName": "broken",' });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/scim+json; charset=utf-8');
      expect(res.body).toEqual({ schemas: [ERROR_SCHEMA], status: '400', scimType: 'invalidSyntax', detail: expect.any(String) });
    });

    it('a JSON array or primitive instead of a resource → 400', async () => {
      expect((await h.scim('POST', '/Users', { raw: '[1,2]' })).status).toBe(400);
      expect((await h.scim('POST', '/Users', { raw: '"just a string"' })).body.scimType).toBe('invalidSyntax');
    });

    it('application/json is accepted like application/scim+json (RFC 7644 §8.1)', async () => {
      const res = await h.scim('POST', '/Users', { body: user('proto.json'), contentType: 'application/json; charset=utf-8' });
      expect(res.status).toBe(201);
    });

    it('another content type → 415 SCIM error; a write without a body → 400 invalidSyntax', async () => {
      const text = await h.scim('POST', '/Users', { raw: 'userName=x', contentType: 'application/x-www-form-urlencoded' });
      expect(text.status).toBe(415);
      expect(text.body).toEqual({ schemas: [ERROR_SCHEMA], status: '415', detail: expect.stringContaining('application/scim+json') });
      const xml = await h.scim('PUT', '/Users/any', { raw: '<user/>', contentType: 'text/xml' });
      expect(xml.status).toBe(415);
      const empty = await h.scim('POST', '/Users', {});
      expect(empty.status).toBe(400);
      expect(empty.body.scimType).toBe('invalidSyntax');
    });

    it('a body over 1 MB → 413 SCIM error', async () => {
      const res = await h.scim('POST', '/Users', { body: user('proto.big', { title: 'x'.repeat(1_100_000) }) });
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ schemas: [ERROR_SCHEMA], status: '413', detail: expect.any(String) });
    });
  });

  describe('discovery', () => {
    it('/ServiceProviderConfig tells what is supported', async () => {
      const res = await h.scim('GET', '/ServiceProviderConfig');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
        patch: { supported: true },
        bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 },
        filter: { supported: true, maxResults: MAX_PAGE_SIZE },
        changePassword: { supported: false },
        sort: { supported: true },
        etag: { supported: true },
        authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken' })],
        meta: { resourceType: 'ServiceProviderConfig', location: `${h.url}/scim/v2/ServiceProviderConfig` },
      });
    });

    it('/ResourceTypes lists User (with the enterprise extension) and Group', async () => {
      const res = await h.scim('GET', '/ResourceTypes');
      expect(res.body.totalResults).toBe(2);
      const userType = res.body.Resources.find((r: { id: string }) => r.id === 'User');
      expect(userType).toMatchObject({
        endpoint: '/Users',
        schema: 'urn:ietf:params:scim:schemas:core:2.0:User',
        schemaExtensions: [{ schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', required: false }],
        meta: { location: `${h.url}/scim/v2/ResourceTypes/User` },
      });
      expect((await h.scim('GET', '/ResourceTypes/Group')).body.endpoint).toBe('/Groups');
      expect((await h.scim('GET', '/ResourceTypes/Device')).status).toBe(404);
    });

    it('/Schemas describes what is stored and returned: password writeOnly/never, groups readOnly', async () => {
      const res = await h.scim('GET', '/Schemas');
      expect(res.body.Resources.map((s: { id: string }) => s.id).sort()).toEqual([
        'urn:ietf:params:scim:schemas:core:2.0:Group',
        'urn:ietf:params:scim:schemas:core:2.0:User',
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      ]);
      const userSchema = await h.scim('GET', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User');
      const attr = (name: string) => userSchema.body.attributes.find((a: { name: string }) => a.name === name);
      expect(attr('password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
      expect(attr('groups')).toMatchObject({ mutability: 'readOnly' });
      expect(attr('userName')).toMatchObject({ required: true, uniqueness: 'server', caseExact: false });
      // scimmy's empty canonical list for roles.type would reject every value; we accept any
      const roleType = attr('roles').subAttributes.find((a: { name: string }) => a.name === 'type');
      expect(roleType.canonicalValues).toBeUndefined();
      expect((await h.scim('GET', '/Schemas/urn:example:nope')).status).toBe(404);
    });

    it('every User attribute the schema declares round-trips (the store keeps what /Schemas promises)', async () => {
      const full = {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
        userName: 'proto.full',
        externalId: 'ext-full',
        name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara', middleName: 'Jane', honorificPrefix: 'Ms.', honorificSuffix: 'III' },
        displayName: 'Babs Jensen',
        nickName: 'Babs',
        profileUrl: 'https://login.example.com/bjensen',
        title: 'Tour Guide',
        userType: 'Employee',
        preferredLanguage: 'en-US',
        locale: 'en-US',
        timezone: 'America/Los_Angeles',
        active: true,
        emails: [{ value: 'bjensen@example.com', type: 'work', primary: true, display: 'Work' }],
        phoneNumbers: [{ value: 'tel:+1-201-555-0123', type: 'work' }],
        ims: [{ value: 'someaimhandle', type: 'aim' }],
        photos: [{ value: 'https://photos.example.com/profilephoto/72930000000Ccne/F', type: 'photo' }],
        addresses: [{ streetAddress: '100 Universal City Plaza', locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'USA', formatted: '100 Universal City Plaza Hollywood, CA 91608 USA', type: 'work', primary: true }],
        entitlements: [{ value: 'transcode:4k' }],
        roles: [{ value: 'editor', type: 'app', primary: true }],
        x509Certificates: [{ value: 'MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx' }],
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: '701984', costCenter: '4130', organization: 'Universal Studios', division: 'Theme Park', department: 'Tour Operations' },
      };
      const created = await h.scim('POST', '/Users', { body: full });
      expect(created.status).toBe(201);
      const got = await h.scim('GET', `/Users/${created.body.id}`);
      const { id, meta, groups, ...rest } = got.body;
      expect(rest).toEqual(full);
    });

    it('a Group member must be a User (the schema says so, nested groups are refused)', async () => {
      const res = await h.scim('POST', '/Groups', { body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'nested', members: [{ value: 'x', type: 'Group' }] } });
      expect(res.status).toBe(400);
      expect(res.body.scimType).toBe('invalidValue');
      const schema = await h.scim('GET', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group');
      const type = schema.body.attributes.find((a: { name: string }) => a.name === 'members').subAttributes.find((a: { name: string }) => a.name === 'type');
      expect(type.canonicalValues).toEqual(['User']);
    });

    it('roles with a type are accepted and returned', async () => {
      const res = await h.scim('POST', '/Users', { body: user('proto.roles', { roles: [{ value: 'editor', type: 'app' }] }) });
      expect(res.status).toBe(201);
      expect(res.body.roles).toEqual([{ value: 'editor', type: 'app' }]);
    });
  });

  it('/Me → 501, an invalid /Bulk message → 400, a broken path → 400, an unknown endpoint → 404, all as SCIM errors', async () => {
    const me = await h.scim('GET', '/Me');
    expect(me.status).toBe(501);
    expect(me.body).toEqual({ schemas: [ERROR_SCHEMA], status: '501', detail: expect.any(String) });
    expect((await h.scim('POST', '/Bulk', { body: {} })).status).toBe(400);
    const badEncoding = await h.scim('GET', '/Users/%E0%A4%A');
    expect(badEncoding.status).toBe(400);
    expect(badEncoding.body).toEqual({ schemas: [ERROR_SCHEMA], status: '400', scimType: 'invalidSyntax', detail: expect.any(String) });
    const unknown = await h.scim('GET', '/Devices');
    expect(unknown.status).toBe(404);
    expect(unknown.body.schemas).toEqual([ERROR_SCHEMA]);
  });

  it('a configured baseUrl is used for meta.location and Location', async () => {
    const other = await startOnDatabase(await ctx.open(), { config: { scimToken: ENV_TOKEN, baseUrl: 'https://id.example.com/scim/v2/' } });
    try {
      const res = await other.scim('POST', '/Users', { body: user('proto.base') });
      expect(res.headers.get('location')).toBe(`https://id.example.com/scim/v2/Users/${res.body.id}`);
      expect(res.body.meta.location).toBe(`https://id.example.com/scim/v2/Users/${res.body.id}`);
    } finally {
      await other.close();
    }
  });

  it('a database outage → 503 (never 404) with a generic detail and no internals', async () => {
    const database = await ctx.open();
    const broken = await startOnDatabase(database);
    try {
      const created = await broken.scim('POST', '/Users', { body: user('proto.outage') });
      await database.close();
      // the env token needs no database: the store itself fails
      for (const [method, path] of [
        ['GET', `/Users/${created.body.id}`],
        ['GET', '/Users?count=5'],
        ['DELETE', `/Users/${created.body.id}`],
      ] as const) {
        const res = await broken.scim(method, path, { token: ENV_TOKEN });
        expect({ method, path, status: res.status }).toEqual({ method, path, status: 503 });
        expect(res.body).toEqual({ schemas: [ERROR_SCHEMA], status: '503', detail: expect.any(String) });
        expect(res.text).not.toMatch(/stack|    at |pglite|pool|ECONN|sql|select|terminat/i);
      }
      // a connection token cannot be checked without the database either: 503, not 401
      const viaConnection = await broken.scim('GET', '/Users');
      expect(viaConnection.status).toBe(503);
    } finally {
      await broken.close();
    }
  });
});
