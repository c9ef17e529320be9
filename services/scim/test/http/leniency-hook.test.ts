import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { forEachDatabase } from '@ffgate/testing';
import * as leniency from '../../src/leniency/index.ts';
import { CORE_GROUP, CORE_USER, ENTERPRISE, PATCH_OP, startOnDatabase, type Harness } from './harness.ts';

/**
 * The leniency hook with `src/leniency` plugged in exactly as the composition root would
 * (`buildScimRouter({ ..., leniency })`): IdP quirks reach scimmy already normalised.
 */
forEachDatabase('SCIM HTTP layer with the leniency module plugged in', (ctx) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startOnDatabase(await ctx.open(), { leniency });
  });
  afterAll(async () => h?.close());

  it('Entra create with nulls, an unknown URN and roles: [] → 201 without nulls', async () => {
    const res = await h.scim('POST', '/Users', {
      body: {
        schemas: [CORE_USER, ENTERPRISE, 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User'],
        externalId: 'entra-1',
        userName: 'entra.user@example.com',
        active: true,
        phoneNumbers: null,
        roles: [],
        meta: { resourceType: 'User' },
        [ENTERPRISE]: { manager: null, department: 'Video' },
      },
    });
    expect(res.status).toBe(201);
    expect(res.text).not.toContain('null');
    expect(res.body[ENTERPRISE]).toEqual({ department: 'Video' });
  });

  it('Entra disable without the flag: capitalised op and "False" as a string', async () => {
    const created = await h.scim('POST', '/Users', { body: { schemas: [CORE_USER], userName: 'entra.disable@example.com', active: true } });
    const res = await h.scim('PATCH', `/Users/${created.body.id}`, {
      body: { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] },
    });
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(false);
  });

  it('Entra member removal without the flag removes only the listed member', async () => {
    const a = await h.scim('POST', '/Users', { body: { schemas: [CORE_USER], userName: 'entra.a@example.com' } });
    const b = await h.scim('POST', '/Users', { body: { schemas: [CORE_USER], userName: 'entra.b@example.com' } });
    const group = await h.scim('POST', '/Groups', { body: { schemas: [CORE_GROUP], displayName: 'entra-group' } });
    const add = await h.scim('PATCH', `/Groups/${group.body.id}`, {
      body: { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: a.body.id }, { $ref: null, value: b.body.id }] }] },
    });
    expect(add.status).toBe(200);
    expect(add.body.members).toHaveLength(2);
    const remove = await h.scim('PATCH', `/Groups/${group.body.id}`, {
      body: { schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: 'members', value: [{ value: a.body.id }] }] },
    });
    expect(remove.status).toBe(200);
    expect(remove.body.members.map((m: { value: string }) => m.value)).toEqual([b.body.id]);
  });
});
