import type { EnterpriseUser, GroupRef, MultiValuedAttribute, UserState } from '@ffgate/contracts';

/** The SCIM enterprise extension's schema URN (also the key of its attributes in a User resource). */
export const ENTERPRISE_USER_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

type Json = Record<string, unknown>;

const SINGLE_STRINGS = [
  'displayName',
  'nickName',
  'profileUrl',
  'title',
  'userType',
  'preferredLanguage',
  'locale',
  'timezone',
] as const;
const NAME_PARTS = ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'] as const;
const MULTI_VALUED = ['emails', 'phoneNumbers', 'ims', 'photos', 'entitlements', 'roles', 'x509Certificates'] as const;
const ENTERPRISE_STRINGS = ['employeeNumber', 'costCenter', 'organization', 'division', 'department'] as const;

export interface UserFacts {
  id: string;
  userName: string;
  externalId: string | null;
  active: boolean;
  /** the stored SCIM representation (attributes the contract does not know are ignored) */
  resource: Json;
  /** the user's groups after the change */
  groups: GroupRef[];
}

/** Map a stored SCIM User to the event contract's UserState: every attribute present, null when absent. */
export function toUserState(user: UserFacts): UserState {
  const r = user.resource;
  const singles = Object.fromEntries(SINGLE_STRINGS.map((k) => [k, stringOrNull(get(r, k))])) as Record<
    (typeof SINGLE_STRINGS)[number],
    string | null
  >;
  const multi = Object.fromEntries(MULTI_VALUED.map((k) => [k, multiValued(get(r, k))])) as Record<
    (typeof MULTI_VALUED)[number],
    MultiValuedAttribute[]
  >;
  return {
    id: user.id,
    userName: user.userName,
    externalId: user.externalId,
    active: user.active,
    ...singles,
    name: toName(get(r, 'name')),
    ...multi,
    addresses: asList(get(r, 'addresses')).filter(isJson).map(withoutNullMembers),
    enterprise: toEnterprise(get(r, ENTERPRISE_USER_URN)),
    groups: user.groups.map((g) => ({ id: g.id, displayName: g.displayName })),
  };
}

function toName(value: unknown): UserState['name'] {
  if (!isJson(value)) return null;
  return Object.fromEntries(NAME_PARTS.map((k) => [k, stringOrNull(get(value, k))]));
}

function toEnterprise(value: unknown): EnterpriseUser {
  const ext = isJson(value) ? value : {};
  const strings = Object.fromEntries(ENTERPRISE_STRINGS.map((k) => [k, stringOrNull(get(ext, k))])) as Record<
    (typeof ENTERPRISE_STRINGS)[number],
    string | null
  >;
  return { ...strings, manager: toManager(get(ext, 'manager')) };
}

/** RFC form `{ value, displayName }`; Entra may have sent a bare id string. */
function toManager(value: unknown): EnterpriseUser['manager'] {
  if (typeof value === 'string' && value !== '') return { value, displayName: null };
  if (!isJson(value)) return null;
  const id = get(value, 'value');
  if (typeof id !== 'string' || id === '') return null;
  return { value: id, displayName: stringOrNull(get(value, 'displayName')) };
}

/** Entries of a multi-valued attribute in the contract's shape (tolerating a single object and scalar values). */
function multiValued(value: unknown): MultiValuedAttribute[] {
  return asList(value)
    .map((entry) => (isJson(entry) ? entry : { value: entry }))
    .map((entry) => {
      const out: Json = withoutNullMembers(entry);
      for (const key of ['value', 'display', 'type'] as const) {
        const v = out[key];
        if (v === undefined || typeof v === 'string') continue;
        if (typeof v === 'number' || typeof v === 'boolean') out[key] = String(v);
        else delete out[key];
      }
      if (out.primary !== undefined && typeof out.primary !== 'boolean') {
        if (typeof out.primary === 'string' && /^(true|false)$/i.test(out.primary)) out.primary = out.primary.toLowerCase() === 'true';
        else delete out.primary;
      }
      return out as MultiValuedAttribute;
    });
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((v) => v !== null && v !== undefined);
}

function withoutNullMembers(value: Json): Json {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined));
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** SCIM attribute names are case-insensitive. */
function get(obj: Json, name: string): unknown {
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === lower) return v;
  return undefined;
}
