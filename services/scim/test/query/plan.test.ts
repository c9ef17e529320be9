import { describe, expect, test } from '@jest/globals';
import { PgDialect } from 'drizzle-orm/pg-core';
import { InvalidFilterError, InvalidSortError, MAX_PAGE_SIZE, planList } from '../../src/query/index.ts';
import type { ListQuery, ResourceType } from '../../src/store/port.ts';

const dialect = new PgDialect();
const plan = (type: ResourceType, query: Partial<ListQuery>) => planList(type, { startIndex: 1, count: 10, ...query });
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('planList: filters that resolve to nothing sensible → InvalidFilterError', () => {
  test.each([
    ['User', 'nickname2 eq "x"', /unknown attribute "nickname2"/],
    ['User', 'name.nope eq "x"', /unknown attribute "name.nope"/],
    ['User', 'userName.value eq "x"', /unknown attribute/],
    ['User', 'name.familyName.x eq "x"', /invalid attribute path "name.familyName.x"/],
    ['User', 'emails[nope eq "x"]', /unknown attribute "emails.nope"/],
    ['User', 'urn:example:custom:1.0:User:badge eq "x"', /unknown attribute/],
    ['User', `${ENTERPRISE}:userName eq "x"`, /unknown attribute/],
    ['User', `${ENTERPRISE}:id eq "x"`, /unknown attribute/],
    ['User', 'urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "x"', /unknown attribute/],
    ['User', 'members.value eq "x"', /unknown attribute/],
    ['Group', 'userName eq "x"', /unknown attribute/],
    ['Group', 'groups eq "x"', /unknown attribute/],
    ['User', 'password eq "secret"', /password/],
    ['User', 'password pr', /password/],
    ['User', 'schemas eq "urn:ietf:params:scim:schemas:core:2.0:User"', /cannot be queried/],
    ['User', 'meta.location eq "x"', /cannot be queried/],
    ['User', 'meta.version eq "W/\\"1\\""', /cannot be queried/],
    ['User', 'groups.$ref eq "x"', /cannot be queried/],
    ['User', 'active gt true', /boolean/],
    ['User', 'active co "t"', /boolean/],
    ['User', 'active eq 1', /boolean/],
    ['User', 'emails.primary sw "t"', /boolean/],
    ['User', 'userName eq true', /string/],
    ['User', 'userName gt null', /null/],
    ['User', 'meta.created co "2024"', /dateTime/],
    ['User', 'meta.created gt "yesterday"', /ISO 8601/],
    ['User', 'meta.created gt "2024-13-45T00:00:00Z"', /ISO 8601/],
    ['User', 'meta.created gt 5', /ISO 8601/],
    ['User', 'name eq "Barbara"', /complex/],
    ['User', `${ENTERPRISE}:manager eq "u1"`, /complex/],
    ['User', 'userName[value eq "x"]', /not a complex attribute/],
    ['User', 'emails.value[type eq "x"]', /not a complex attribute/],
    ['User', 'userName eq', /end of filter/],
  ] as const)('%s %s', (type, filter, message) => {
    expect(() => plan(type, { filter })).toThrow(InvalidFilterError);
    expect(() => plan(type, { filter })).toThrow(message);
  });
});

describe('planList: SQL shape', () => {
  test('filter values are bound parameters, never part of the SQL text', () => {
    const evil = `x' or '1'='1'; drop table scim.users; --`;
    const { where } = plan('User', { filter: `userName eq ${JSON.stringify(evil)} or emails[value co ${JSON.stringify(evil)}]` });
    const query = dialect.sqlToQuery(where!);
    expect(query.sql).not.toContain('drop table');
    expect(query.sql).not.toContain("'1'='1'");
    expect(query.params).toContain(evil);
  });

  test('no filter → no where; a blank filter counts as none', () => {
    expect(plan('User', {}).where).toBeUndefined();
    expect(plan('User', { filter: '  ' }).where).toBeUndefined();
  });

  test('always ends with the id tie-breaker; default order is created, id', () => {
    const render = (type: ResourceType, q: Partial<ListQuery>) => plan(type, q).orderBy.map((o) => dialect.sqlToQuery(o).sql);
    expect(render('User', {})).toEqual(['"scim"."users"."created" asc', '"scim"."users"."id" asc']);
    expect(render('Group', { sortBy: 'displayName', sortOrder: 'descending' })).toEqual([
      'lower("scim"."groups"."display_name") collate "C" desc nulls last',
      '"scim"."groups"."id" desc',
    ]);
    // caseExact attributes sort without lower()
    expect(render('User', { sortBy: 'externalId' })[0]).toBe('"scim"."users"."external_id" collate "C" asc nulls last');
    // every row has the same resourceType: only the tie-breaker remains
    expect(render('User', { sortBy: 'meta.resourceType' })).toEqual(['"scim"."users"."id" asc']);
  });

  test('sortOrder other than ascending/descending → InvalidSortError (400 invalidValue)', () => {
    expect(() => plan('User', { sortBy: 'userName', sortOrder: 'sideways' as 'ascending' })).toThrow(InvalidSortError);
    expect(() => plan('User', { sortBy: 'userName', sortOrder: 'DESCENDING' as 'descending' })).not.toThrow();
    try {
      plan('User', { sortBy: 'nope' });
      throw new Error('expected a throw');
    } catch (err) {
      expect(err).toMatchObject({ code: 'FFGATE_SCIM_INVALID_SORT', scimType: 'invalidValue', status: 400, message: 'unknown sortBy attribute "nope"' });
    }
  });
});

describe('planList: pagination', () => {
  test.each([
    [{ startIndex: 1, count: 10 }, { offset: 0, limit: 10 }],
    [{ startIndex: 11, count: 5 }, { offset: 10, limit: 5 }],
    [{ startIndex: 0, count: 5 }, { offset: 0, limit: 5 }],
    [{ startIndex: -7, count: 5 }, { offset: 0, limit: 5 }],
    [{ startIndex: 1, count: -1 }, { offset: 0, limit: 0 }],
    [{ startIndex: 1, count: 0 }, { offset: 0, limit: 0 }],
    [{ startIndex: 1, count: MAX_PAGE_SIZE + 1 }, { offset: 0, limit: MAX_PAGE_SIZE }],
    [{ startIndex: 1, count: Number.POSITIVE_INFINITY }, { offset: 0, limit: MAX_PAGE_SIZE }],
    [{ startIndex: Number.NaN, count: Number.NaN }, { offset: 0, limit: MAX_PAGE_SIZE }],
    [{ startIndex: 2.9, count: 3.7 }, { offset: 1, limit: 3 }],
  ])('%j → %j', (query, expected) => {
    expect(plan('User', query)).toMatchObject(expected);
  });
});
