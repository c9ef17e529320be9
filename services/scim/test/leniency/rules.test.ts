import { describe, expect, it } from '@jest/globals';
import { applyPatchLeniencyWithCurrent, isEmptyPatch, normalizeFilter, normalizePatch, normalizeResourceBody, normalizeScimRequest } from '../../src/leniency/index.ts';
import { parseEqConjunction } from '../../src/leniency/eq-filter.ts';
import { CORE_GROUP, CORE_USER, ENTERPRISE, entra, fillIds, okta, onelogin, PATCH_OP, type IdpRequest } from './idp-fixtures.ts';
import { validatedBody } from './scimmy-check.ts';

const ids = { userId: 'u-1', groupId: 'g-1', managerId: 'm-1', formerMemberId: 'f-1' };
const all: IdpRequest[] = [...Object.values(entra), ...Object.values(okta), ...Object.values(onelogin)].map((request) => fillIds(request, ids));
const typeOf = (request: IdpRequest) => (request.path.startsWith('/Groups') ? 'Group' : 'User') as 'User' | 'Group';
const normalise = (request: IdpRequest, body: unknown) =>
  normalizeScimRequest({ method: request.method, resourceType: typeOf(request), id: request.path.split('/')[2], body, query: request.query });

describe('leniency rules', () => {
  it('normalising twice gives the same result and fires no rule the second time (every IdP fixture)', () => {
    for (const request of all) {
      const once = normalise(request, request.body);
      const twice = normalise(request, once.body);
      expect({ name: request.name, body: twice.body, query: twice.query }).toEqual({ name: request.name, body: once.body, query: once.query });
      expect({ name: request.name, notes: twice.notes }).toEqual({ name: request.name, notes: [] });
    }
  });

  it('current-aware PATCH leniency is idempotent too', () => {
    const current = { schemas: [CORE_GROUP], displayName: 'g', members: [{ value: 'u-1' }] };
    for (const request of [entra.addMembers, okta.membership, entra.removeMemberWithoutFlag].map((r) => fillIds(r, ids))) {
      const { patch } = normalizePatch('Group', request.body, { id: 'g-1' });
      const once = applyPatchLeniencyWithCurrent('Group', patch, current);
      const twice = applyPatchLeniencyWithCurrent('Group', once.patch, current);
      expect(twice.patch).toEqual(once.patch);
    }
  });

  it('notes name the rules that changed something, in rule order', () => {
    const { notes } = normalizeResourceBody('User', { schemas: [CORE_USER], id: null, userName: 'a', active: 'TRUE' }, { method: 'POST' });
    expect(notes).toEqual(['dropIdAndMeta', 'coerceStringBooleans']);
  });

  it('null and "" are removed recursively; an array of nulls is dropped; roles [] is kept', () => {
    const { body } = validatedBody('User', {
      schemas: [CORE_USER],
      userName: 'a',
      name: { givenName: '', familyName: null },
      phoneNumbers: [null, null],
      addresses: [{ streetAddress: '', locality: 'Oslo', country: null }],
      emails: [{ value: '', type: 'work' }, { value: 'a@b.example', type: 'home' }],
      roles: [],
      x509Certificates: null,
    });
    expect(body).toEqual({ schemas: [CORE_USER], userName: 'a', addresses: [{ locality: 'Oslo' }], emails: [{ value: 'a@b.example', type: 'home' }], roles: [] });
  });

  it('boolean sub-attributes are coerced from strings; string attributes are not', () => {
    const { body } = validatedBody('User', { schemas: [CORE_USER], userName: 'true', title: 'False', emails: [{ value: 'a@b.example', primary: 'True' }] });
    expect(body).toMatchObject({ userName: 'true', title: 'False', emails: [{ value: 'a@b.example', primary: true }] });
  });

  it('canonical values take their canonical spelling ("Work" → "work") so scimmy accepts them', () => {
    const { body } = validatedBody('User', { schemas: [CORE_USER], userName: 'a', emails: [{ value: 'a@b.example', type: 'Work' }], phoneNumbers: [{ value: '1', type: 'Mobile' }] });
    expect(body).toMatchObject({ emails: [{ type: 'work' }], phoneNumbers: [{ type: 'mobile' }] });
  });

  it('every single-object multi-valued attribute is wrapped (phoneNumbers, addresses, roles)', () => {
    const { body } = validatedBody('User', { schemas: [CORE_USER], userName: 'a', phoneNumbers: { value: '1', type: 'work' }, addresses: { locality: 'Oslo' }, roles: { value: 'admin' } });
    expect(body).toMatchObject({ phoneNumbers: [{ value: '1', type: 'work' }], addresses: [{ locality: 'Oslo' }], roles: [{ value: 'admin' }] });
  });

  it('group members: bare strings → { value }, $ref null dropped, duplicates removed', () => {
    const { body } = validatedBody('Group', { schemas: [CORE_GROUP], displayName: 'g', members: ['a', { value: 'a', $ref: null }, { value: 'b', $ref: null }, { value: 'b' }] });
    expect(body.members).toEqual([{ value: 'a' }, { value: 'b' }]);
  });

  it('enterprise attributes without the enterprise URN in schemas get it added; unknown URN keys are dropped', () => {
    const { body } = validatedBody('User', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:user'], userName: 'a', 'URN:IETF:params:scim:schemas:extension:enterprise:2.0:User': { department: 'D' }, 'urn:example:custom': { x: 1 } });
    expect(body).toEqual({ schemas: [CORE_USER, ENTERPRISE], userName: 'a', [ENTERPRISE]: { department: 'D' } });
  });

  it('an enterprise object emptied by pruning is removed with its URN', () => {
    const { body } = validatedBody('User', { schemas: [CORE_USER, ENTERPRISE], userName: 'a', [ENTERPRISE]: { manager: { value: '' }, department: '' } });
    expect(body).toEqual({ schemas: [CORE_USER], userName: 'a' });
  });

  it('PATCH values carrying schemas/meta lose them; unknown URN keys in no-path values are dropped', () => {
    const { patch } = normalizePatch('User', { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { schemas: [CORE_USER], meta: { resourceType: 'User' }, 'urn:example:custom': { a: 1 }, [ENTERPRISE]: { department: 'D' } } }] });
    expect(patch.Operations).toEqual([{ op: 'replace', path: `${ENTERPRISE}:department`, value: 'D' }]);
  });

  it('PATCH: a single emails object is wrapped; nulls inside values are pruned; a value pruned to nothing clears', () => {
    const { patch } = normalizePatch('User', {
      Operations: [
        { op: 'add', path: 'emails', value: { value: 'x@y.example', display: null } },
        { op: 'replace', path: 'phoneNumbers', value: [null] },
        { op: 'replace', path: `${ENTERPRISE}:manager`, value: { value: null } },
      ],
    });
    expect(patch).toEqual({
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'emails', value: [{ value: 'x@y.example' }] }, { op: 'remove', path: 'phoneNumbers' }, { op: 'remove', path: `${ENTERPRISE}:manager` }],
    });
  });

  it('PATCH: clearing a filtered .value removes the whole entry, never leaving an address-less email', () => {
    const { patch } = normalizePatch('User', { Operations: [{ op: 'Replace', path: 'emails[type eq "work"].value', value: '' }, { op: 'remove', path: 'phoneNumbers[type eq "fax"].value' }] });
    expect(patch.Operations).toEqual([{ op: 'remove', path: 'emails[type eq "work"]' }, { op: 'remove', path: 'phoneNumbers[type eq "fax"]' }]);
  });

  it('current-aware: replacing a whole filtered entry that does not exist adds it', () => {
    const { patch } = normalizePatch('User', { Operations: [{ op: 'replace', path: 'phoneNumbers[type eq "Mobile"]', value: { value: '+47 1234', primary: 'true' } }] });
    const result = applyPatchLeniencyWithCurrent('User', patch, { userName: 'a', phoneNumbers: [{ type: 'work', value: '1' }] });
    expect(result.patch.Operations).toEqual([{ op: 'add', path: 'phoneNumbers', value: [{ type: 'mobile', value: '+47 1234', primary: true }] }]);
  });

  it('a body naming the other resource type\'s core schema keeps its schemas, so validation rejects it', () => {
    const { body } = normalizeResourceBody('User', { schemas: [CORE_GROUP], displayName: 'g' }, { method: 'POST' });
    expect(body).toEqual({ schemas: [CORE_GROUP], displayName: 'g' });
  });

  it('PATCH: a missing envelope schema and lower-case "operations" are repaired', () => {
    const { patch, notes } = normalizePatch('User', { operations: [{ op: 'Replace', path: 'active', value: 'false' }] });
    expect(patch).toEqual({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] });
    expect(notes[0]).toBe('normalizeEnvelope');
  });

  it('PATCH: paths get their canonical spelling (attribute case, core URN prefix removed)', () => {
    const { patch } = normalizePatch('User', { Operations: [{ op: 'replace', path: 'Name.GivenName', value: 'x' }, { op: 'replace', path: `${CORE_USER}:displayName`, value: 'y' }] });
    expect(patch.Operations.map((op) => op.path)).toEqual(['name.givenName', 'displayName']);
  });

  it('current-aware: a PATCH whose every operation is dropped is empty (answer with the current resource)', () => {
    const { patch } = normalizePatch('Group', { Operations: [{ op: 'remove', path: 'members[value eq "nobody"]' }] });
    const result = applyPatchLeniencyWithCurrent('Group', patch, { displayName: 'g', members: [{ value: 'someone' }] });
    expect(isEmptyPatch(result.patch)).toBe(true);
    expect(result.notes).toEqual(['dropRemovalMatchingNothing']);
  });

  it('current-aware: an operation earlier in the same PATCH counts (add then remove the same member)', () => {
    const { patch } = normalizePatch('Group', { Operations: [{ op: 'add', path: 'members', value: [{ value: 'n' }] }, { op: 'remove', path: 'members[value eq "n"]' }] });
    const result = applyPatchLeniencyWithCurrent('Group', patch, { displayName: 'g' });
    expect(result.patch.Operations).toHaveLength(2);
  });

  it('malformed input is left for the validator (non-object body, non-object operations)', () => {
    expect(normalizeResourceBody('User', 'nope', { method: 'POST' })).toEqual({ body: 'nope', notes: [] });
    const { patch } = normalizePatch('User', { schemas: [PATCH_OP], Operations: ['bad', { op: 'Replace', path: 'active', value: 'true' }] });
    expect(patch.Operations).toEqual(['bad', { op: 'replace', path: 'active', value: true }]);
  });

  it('filters pass through unchanged; only surrounding whitespace and an empty filter are dropped', () => {
    expect(normalizeFilter('userName EQ "x"')).toEqual({ filter: 'userName EQ "x"', notes: [] });
    expect(normalizeFilter('  externalId eq "x" ')).toEqual({ filter: 'externalId eq "x"', notes: ['trimFilter'] });
    expect(normalizeScimRequest({ method: 'GET', resourceType: 'User', query: { filter: '' } }).query).toEqual({});
  });

  it('value filters of eq comparisons joined by and are parsed; anything else is not', () => {
    expect(parseEqConjunction('type eq "work" and primary eq true')).toEqual([{ attribute: 'type', value: 'work' }, { attribute: 'primary', value: true }]);
    expect(parseEqConjunction('value eq "a\\"b"')).toEqual([{ attribute: 'value', value: 'a"b' }]);
    expect(parseEqConjunction('type eq "work" or type eq "home"')).toBeUndefined();
    expect(parseEqConjunction('value co "x"')).toBeUndefined();
  });
});
