import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { forEachDatabase } from '@ffgate/testing';
import type { Database } from '@ffgate/db';
import { InvalidFilterError, InvalidSortError, MAX_PAGE_SIZE, planList } from '../../src/query/index.ts';
import { groups, users } from '../../src/store/schema.ts';
import type { ListQuery, ResourceType } from '../../src/store/port.ts';
import { ALL_USER_IDS, ENTERPRISE, insertFixture } from './fixture.ts';

const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';

forEachDatabase('SCIM list queries in SQL', ({ open }) => {
  let database: Database;

  beforeAll(async () => {
    database = await open();
    await database.migrate({ schema: 'scim', migrationsFolder });
    await insertFixture(database.db);
  });

  /** What the store does: one select for the page, one count(*) with the same condition. */
  async function list(type: ResourceType, query: Partial<ListQuery>): Promise<{ ids: string[]; total: number }> {
    const table = type === 'User' ? users : groups;
    const plan = planList(type, { startIndex: 1, count: MAX_PAGE_SIZE, ...query });
    const rows = await database.db
      .select({ id: table.id })
      .from(table)
      .where(plan.where)
      .orderBy(...plan.orderBy)
      .limit(plan.limit)
      .offset(plan.offset);
    const [{ total }] = await database.db.select({ total: sql<number>`count(*)::int` }).from(table).where(plan.where);
    return { ids: rows.map((r) => r.id), total };
  }
  const userIds = async (filter: string) => (await list('User', { filter })).ids.sort();
  const groupIds = async (filter: string) => (await list('Group', { filter })).ids.sort();
  const except = (...ids: string[]) => ALL_USER_IDS.filter((id) => !ids.includes(id));

  describe('operators on strings (caseExact from the schema)', () => {
    test.each([
      ['userName eq "bjensen"', ['u01']],
      ['userName EQ "BJENSEN"', ['u01']],
      ['USERNAME eq "bjensen"', ['u01']],
      ['externalId eq "EXT-01"', ['u01']],
      ['externalId eq "ext-01"', []],
      ['id eq "u01"', ['u01']],
      ['id eq "U01"', []],
      ['title ne "tour guide"', except('u01')],
      ['emails co "EXAMPLE.COM"', ['u01', 'u02', 'u05', 'u07', 'u08', 'u15']],
      ['emails.value ew "@gmail.com"', ['u03']],
      ['name.givenName sw "jo"', ['u02']],
      ['userName gt "x"', ['u13', 'u14', 'u15']],
      ['userName ge "xavier"', ['u13', 'u14', 'u15']],
      ['userName lt "b"', ['u03']],
      ['userName le "alice.admin"', ['u03']],
      ['displayName eq "babs jensen"', ['u01']],
      [`${ENTERPRISE}:employeeNumber eq "701984"`, ['u01']],
    ])('%s', async (filter, expected) => {
      expect(await userIds(filter)).toEqual(expected);
    });
  });

  describe('LIKE metacharacters in co/sw/ew are literal', () => {
    test.each([
      ['userName co "r_s"', ['u08']],
      ['userName co "%"', ['u10']],
      ['userName co "\\\\"', ['u11']],
      ['userName sw "o\'b"', ['u07']],
      [`${ENTERPRISE}:costCenter ew "_100%"`, ['u03']],
    ])('%s', async (filter, expected) => {
      expect(await userIds(filter)).toEqual(expected);
    });
  });

  describe('booleans, dateTimes, presence, null', () => {
    test.each([
      ['active eq false', ['u04', 'u12']],
      ['active eq "False"', ['u04', 'u12']],
      ['active ne true', ['u04', 'u12']],
      ['emails[primary eq true]', ['u01', 'u03']],
      ['meta.created gt "2024-01-14T00:00:00Z"', ['u15', 'u16']],
      ['meta.created ge "2024-01-15T00:00:00.000Z"', ['u15', 'u16']],
      ['meta.created lt "2024-01-02"', ['u01']],
      ['meta.created le "2024-01-02T00:00:00"', ['u01', 'u02']],
      ['meta.created eq "2024-01-03T01:00:00+01:00"', ['u03']],
      ['meta.lastModified gt "2024-01-16T01:00:00Z"', []],
      ['meta.lastModified eq "2024-01-15T02:00:00Z"', ['u15']],
      ['title pr', ['u01', 'u03']],
      ['title eq null', except('u01', 'u03')],
      ['title ne null', ['u01', 'u03']],
      ['emails pr', ['u01', 'u02', 'u03', 'u05', 'u07', 'u08', 'u15']],
      ['name.middleName pr', ['u01']],
      ['name pr', except('u06', 'u08', 'u10', 'u11')],
      [`${ENTERPRISE}:manager pr`, ['u01', 'u02', 'u16']],
      ['externalId pr', ['u01', 'u02', 'u03']],
      ['meta.resourceType eq "User"', ALL_USER_IDS],
      ['meta.resourceType eq "Group"', []],
      ['addresses[type eq "work" and locality eq "berlin"]', ['u13']],
      ['phoneNumbers.value eq "555-555-8377"', ['u01']],
    ])('%s', async (filter, expected) => {
      expect(await userIds(filter)).toEqual(expected);
    });
  });

  describe('and / or / not, precedence and parentheses', () => {
    test.each([
      // and binds tighter than or: bjensen or (jsmith and inactive)
      ['userName eq "bjensen" or userName eq "jsmith" and active eq false', ['u01']],
      ['(userName eq "bjensen" or userName eq "jsmith") and active eq true', ['u01', 'u02']],
      ['(userName eq "bjensen" or userName eq "noemail") and active eq false', ['u04']],
      ['userName eq "bjensen" OR userName eq "jsmith"', ['u01', 'u02']],
      // not binds tighter than and
      ['not (title pr) and active eq false', ['u04', 'u12']],
      // missing attributes do not hide rows from not(...)
      ['not (title eq "Admin")', except('u03')],
      ['not (not (title eq "Admin"))', ['u03']],
      ['not (emails[type eq "work"])', ['u04', 'u06', 'u07', 'u09', 'u10', 'u11', 'u12', 'u13', 'u14', 'u16']],
      ['name.familyName eq "smith" and not (emails pr)', ['u09', 'u12']],
    ])('%s', async (filter, expected) => {
      expect(await userIds(filter)).toEqual(expected);
    });
  });

  describe('value paths and multi-valued attributes', () => {
    test.each([
      ['emails[type eq "work" and value co "@example.com"]', ['u01', 'u02', 'u05', 'u08', 'u15']],
      // Entra ID lookup: case-insensitive, same element for both conditions
      ['emails[type eq "work"].value eq "JOHN.SMITH@example.com"', ['u02']],
      ['emails[type eq "home"].value eq "bjensen@example.com"', []],
      ['emails[type eq "work"].value eq "alice.personal@gmail.com"', []],
      ['emails[not (type eq "work")]', ['u01', 'u03', 'u07']],
      // multi-valued ne: no value equals
      ['emails.value ne "bjensen@example.com"', except('u01')],
      ['emails.value eq null', ['u04', 'u06', 'u09', 'u10', 'u11', 'u12', 'u13', 'u14', 'u16']],
      // the malformed `emails` object of u06 is treated as no emails, never an error
      ['emails co "weird"', []],
    ])('%s', async (filter, expected) => {
      expect(await userIds(filter)).toEqual(expected);
    });
  });

  describe('schema URNs and the enterprise extension', () => {
    test.each([
      [`${ENTERPRISE}:department eq "sales"`, ['u01', 'u05']],
      [`${ENTERPRISE.toUpperCase()}:DEPARTMENT eq "SALES"`, ['u01', 'u05']],
      [`${ENTERPRISE}:manager.value eq "u05"`, ['u01', 'u02']],
      [`${CORE}:userName eq "jsmith"`, ['u02']],
      [`${CORE}:name.familyName eq "SMITH"`, ['u02', 'u03', 'u09', 'u12']],
      [`${ENTERPRISE}:department ne "engineering"`, except('u02', 'u03')],
    ])('%s', async (filter, expected) => {
      expect(await userIds(filter)).toEqual(expected);
    });
  });

  describe('memberships (users.groups, groups.members) via group_members', () => {
    test.each([
      ['groups eq "g1"', ['u02', 'u03']],
      ['groups.value eq "g4"', ['u03']],
      ['groups.display eq "sales"', ['u01', 'u05']],
      ['groups[display sw "Adm"]', ['u03']],
      ['groups[value eq "g1" and display eq "Engineers"]', ['u02', 'u03']],
      ['not (groups pr)', except('u01', 'u02', 'u03', 'u05')],
      ['groups.type eq "direct" and active eq false', []],
    ])('User %s', async (filter, expected) => {
      expect(await userIds(filter)).toEqual(expected);
    });

    test.each([
      ['members[value eq "u03"]', ['g1', 'g4']],
      ['members.value eq "u01"', ['g2']],
      ['members eq "u02"', ['g1']],
      // member display: the user's displayName, else userName (same rule as the store)
      ['members.display eq "the boss"', ['g2']],
      ['members.display eq "JSMITH"', ['g1']],
      ['members pr', ['g1', 'g2', 'g4']],
      ['not (members pr)', ['g3']],
      ['displayName eq "engineers"', ['g1']],
      ['displayName co "S"', ['g1', 'g2', 'g4']],
      ['externalId eq "gx-4"', ['g4']],
      ['externalId eq "GX-4"', []],
      ['meta.created gt "2024-02-02T00:00:00Z"', ['g3', 'g4']],
      ['members[type eq "User" and display sw "alice"]', ['g1', 'g4']],
      ['meta.resourceType eq "group"', []],
      ['meta.resourceType eq "Group" and not (externalId pr)', ['g2', 'g3']],
    ])('Group %s', async (filter, expected) => {
      expect(await groupIds(filter)).toEqual(expected);
    });
  });

  test('values are bound, never interpolated: injection attempts find nothing and change nothing', async () => {
    for (const filter of [
      'userName eq "x\\" or 1=1 --"',
      `userName eq "'; delete from scim.users; --"`,
      `userName co "' or ''='"`,
      `${ENTERPRISE}:department eq "x') or true or ('"`,
      'emails[value eq "\\u0027) or true --"]',
    ]) {
      expect(await userIds(filter)).toEqual([]);
    }
    expect((await list('User', {})).total).toBe(16);
  });

  describe('sorting', () => {
    test('userName ascending and descending, case-insensitive', async () => {
      const expected = ['u03', 'u11', 'u01', 'u12', 'u02', 'u05', 'u04', 'u07', 'u10', 'u08', 'u09', 'u16', 'u06', 'u15', 'u14', 'u13'];
      expect((await list('User', { sortBy: 'userName' })).ids).toEqual(expected);
      expect((await list('User', { sortBy: 'USERNAME', sortOrder: 'descending' })).ids).toEqual([...expected].reverse());
    });

    test('ties are broken by id and missing values sort last in both orders', async () => {
      const asc = (await list('User', { sortBy: 'name.familyName' })).ids;
      expect(asc).toEqual(['u05', 'u01', 'u04', 'u07', 'u02', 'u03', 'u09', 'u12', 'u16', 'u15', 'u14', 'u13', 'u06', 'u08', 'u10', 'u11']);
      const desc = (await list('User', { sortBy: 'name.familyName', sortOrder: 'descending' })).ids;
      expect(desc).toEqual(['u13', 'u14', 'u15', 'u16', 'u12', 'u09', 'u03', 'u02', 'u07', 'u04', 'u01', 'u05', 'u11', 'u10', 'u08', 'u06']);
    });

    test('multi-valued attribute sorts by its primary value, else the first', async () => {
      const { ids } = await list('User', { sortBy: 'emails', filter: 'emails pr' });
      // u03: primary alice@corp.example (not the first, alice.personal@…); u01 primary bjensen@…
      expect(ids).toEqual(['u03', 'u01', 'u05', 'u02', 'u07', 'u08', 'u15']);
    });

    test('dateTime, extension and group attributes', async () => {
      expect((await list('User', { sortBy: 'meta.created', sortOrder: 'descending', count: 3 })).ids).toEqual(['u16', 'u15', 'u14']);
      expect((await list('User', { sortBy: `${ENTERPRISE}:department`, filter: `${ENTERPRISE}:department pr` })).ids).toEqual([
        'u02',
        'u03',
        'u01',
        'u05',
      ]);
      expect((await list('Group', { sortBy: 'displayName' })).ids).toEqual(['g4', 'g3', 'g1', 'g2']);
    });

    test('default order is creation time, then id', async () => {
      expect((await list('User', {})).ids).toEqual(ALL_USER_IDS);
    });

    test.each(['nickName.foo', 'unknown', 'name', 'groups', 'password', 'meta.location'])('invalid sortBy %s → InvalidSortError', (sortBy) => {
      expect(() => planList('User', { sortBy, startIndex: 1, count: 10 })).toThrow(InvalidSortError);
    });
  });

  describe('pagination', () => {
    test('pages of 5 cover every user once, in a stable order', async () => {
      const pages: string[][] = [];
      for (let start = 1; start <= 16; start += 5) pages.push((await list('User', { sortBy: 'name.familyName', startIndex: start, count: 5 })).ids);
      expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 1]);
      expect(pages.flat()).toEqual((await list('User', { sortBy: 'name.familyName' })).ids);
    });

    test('windows, past the end, count 0, startIndex below 1', async () => {
      expect(await list('User', { startIndex: 3, count: 2 })).toEqual({ ids: ['u03', 'u04'], total: 16 });
      expect(await list('User', { startIndex: 17, count: 5 })).toEqual({ ids: [], total: 16 });
      expect(await list('User', { startIndex: 1, count: 0 })).toEqual({ ids: [], total: 16 });
      expect(await list('User', { startIndex: 0, count: 2 })).toEqual({ ids: ['u01', 'u02'], total: 16 });
      expect(await list('User', { startIndex: 2, count: 2, filter: 'active eq true', sortBy: 'userName', sortOrder: 'descending' })).toEqual({
        ids: ['u14', 'u15'],
        total: 14,
      });
    });
  });

  test.each([
    ['User', 'userName eq "BJensen"', 'users_user_name_lower_uq'],
    ['User', 'externalId eq "EXT-01"', 'users_external_id_idx'],
    ['Group', 'displayName eq "sales"', 'groups_display_name_lower_uq'],
  ] as const)('IdP lookup %s %s can use index %s', async (type, filter, index) => {
    const table = type === 'User' ? users : groups;
    const { where } = planList(type, { filter, startIndex: 1, count: 1 });
    const plan = await database.db.transaction(async (tx) => {
      // 16 rows: without this the planner rightly prefers a sequential scan
      await tx.execute(sql`set local enable_seqscan = off`);
      const res = (await tx.execute(sql`explain select ${table.id} from ${table} where ${where}`)) as unknown as { rows: Record<string, string>[] };
      return res.rows.map((r) => Object.values(r)[0]).join('\n');
    });
    expect(plan).toContain(index);
  });

  test('an Entra ID test-connection lookup of a random userName is an empty page', async () => {
    expect(await list('User', { filter: 'userName eq "7f3c1c2e-0000-4c8a-9a57-5f0b6b1e3c11"', startIndex: 1, count: 100 })).toEqual({ ids: [], total: 0 });
  });

  test('a filter that fails to plan throws before any SQL runs', () => {
    expect(() => planList('User', { filter: 'nope eq "x"', startIndex: 1, count: 1 })).toThrow(InvalidFilterError);
  });
});
