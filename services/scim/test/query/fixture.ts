import type { Drizzle } from '@ffgate/db';
import { groupMembers, groups, users } from '../../src/store/schema.ts';

/**
 * A realistic directory for list-query tests: 16 users (names, emails of several types, some with no
 * emails at all or with a malformed `emails`, enterprise attributes and managers, LIKE metacharacters
 * and quotes in userNames) and 4 groups. Ids are `u01`… / `g1`…; user N was created on 2024-01-N.
 */
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

interface UserSpec {
  userName: string;
  externalId?: string;
  active?: boolean;
  resource: Record<string, unknown>;
}

const email = (value: string, type: string, primary?: boolean) => (primary === undefined ? { value, type } : { value, type, primary });

export const USER_SPECS: UserSpec[] = [
  /* u01 */ {
    userName: 'bjensen',
    externalId: 'EXT-01',
    resource: {
      name: { givenName: 'Barbara', familyName: 'Jensen', middleName: 'J' },
      displayName: 'Babs Jensen',
      title: 'Tour Guide',
      emails: [email('bjensen@example.com', 'work', true), email('babs@jensen.org', 'home')],
      phoneNumbers: [{ value: '555-555-8377', type: 'work' }],
      [ENTERPRISE]: { department: 'Sales', employeeNumber: '701984', manager: { value: 'u05', displayName: 'The Boss' } },
    },
  },
  /* u02 */ {
    userName: 'jsmith',
    externalId: 'ext-02',
    resource: {
      name: { givenName: 'John', familyName: 'Smith' },
      emails: [email('John.Smith@Example.COM', 'work')],
      [ENTERPRISE]: { department: 'Engineering', manager: { value: 'u05' } },
    },
  },
  /* u03 */ {
    userName: 'Alice.Admin',
    externalId: 'EXT-03',
    resource: {
      name: { givenName: 'Alice', familyName: 'Smith' },
      title: 'Admin',
      emails: [email('alice.personal@gmail.com', 'other'), email('alice@corp.example', 'work', true)],
      [ENTERPRISE]: { department: 'Engineering', costCenter: 'CC_100%' },
    },
  },
  /* u04 */ { userName: 'noemail', active: false, resource: { name: { familyName: 'Nobody' }, title: '' } },
  /* u05 */ {
    userName: 'mgr.boss',
    resource: { displayName: 'The Boss', name: { familyName: 'Boss' }, emails: [email('boss@example.com', 'work')], [ENTERPRISE]: { department: 'Sales' } },
  },
  /* u06: bad data — `emails` is an object, not an array */
  { userName: 'weird', resource: { emails: { value: 'weird@example.com' } } },
  /* u07 */ { userName: "o'brien", resource: { name: { familyName: "O'Brien" }, emails: [email('obrien@example.com', 'home')] } },
  /* u08 */ { userName: 'under_score', resource: { emails: [email('under_score@example.com', 'work')] } },
  /* u09 */ { userName: 'underXscore', resource: { name: { familyName: 'Smith' } } },
  /* u10 */ { userName: 'percent%user', resource: {} },
  /* u11 */ { userName: 'back\\slash', resource: {} },
  /* u12 */ { userName: 'inactive1', active: false, resource: { name: { familyName: 'Smith' }, emails: [] } },
  /* u13 */ { userName: 'zed', resource: { name: { familyName: 'Zimmer' }, addresses: [{ locality: 'Berlin', type: 'work' }] } },
  /* u14 */ { userName: 'Yan', resource: { name: { familyName: 'young' } } },
  /* u15 */ { userName: 'xavier', resource: { name: { familyName: 'Xu' }, emails: [email('X@Example.com', 'work')] } },
  /* u16 */ { userName: 'walt', resource: { name: { familyName: 'Walters' }, [ENTERPRISE]: { manager: { value: 'u01' } } } },
];

export const userId = (n: number) => `u${String(n).padStart(2, '0')}`;
export const ALL_USER_IDS = USER_SPECS.map((_, i) => userId(i + 1));

export const GROUP_SPECS = [
  { id: 'g1', displayName: 'Engineers', externalId: 'GX-1', members: ['u02', 'u03'] },
  { id: 'g2', displayName: 'Sales', externalId: null, members: ['u01', 'u05'] },
  { id: 'g3', displayName: 'Empty group', externalId: null, members: [] },
  { id: 'g4', displayName: 'Admins', externalId: 'gx-4', members: ['u03'] },
];

export async function insertFixture(db: Drizzle): Promise<void> {
  await db.insert(users).values(
    USER_SPECS.map((spec, i) => {
      const created = new Date(Date.UTC(2024, 0, i + 1));
      return {
        id: userId(i + 1),
        userName: spec.userName,
        externalId: spec.externalId ?? null,
        active: spec.active ?? true,
        resource: { userName: spec.userName, active: spec.active ?? true, ...spec.resource },
        created,
        lastModified: new Date(created.getTime() + (i % 3) * 3_600_000),
      };
    }),
  );
  await db.insert(groups).values(
    GROUP_SPECS.map((g, i) => ({
      id: g.id,
      displayName: g.displayName,
      externalId: g.externalId,
      resource: { displayName: g.displayName },
      created: new Date(Date.UTC(2024, 1, i + 1)),
      lastModified: new Date(Date.UTC(2024, 1, i + 1)),
    })),
  );
  await db.insert(groupMembers).values(GROUP_SPECS.flatMap((g) => g.members.map((userId) => ({ groupId: g.id, userId }))));
}
