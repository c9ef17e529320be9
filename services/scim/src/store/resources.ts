import { InvalidValueError } from './errors.ts';
import { attribute, isObject, omitAttributes, withoutNulls } from './json.ts';
import type { ScimJson } from './port.ts';

/**
 * Turn the SCIM JSON handed to the store into what is persisted: the `resource` document plus the
 * columns copied from it. Attributes the store owns (`id`, `meta`) or computes (`groups`,
 * `members`) and secrets (`password`) are stripped defensively.
 */

export interface UserRecord {
  resource: ScimJson;
  userName: string;
  externalId: string | null;
  active: boolean;
}

export interface GroupRecord {
  /** without `members`: membership lives in group_members */
  resource: ScimJson;
  displayName: string;
  externalId: string | null;
  /** de-duplicated, in the order given */
  memberIds: string[];
}

const USER_OWNED = ['id', 'meta', 'groups', 'password'];
const GROUP_OWNED = ['id', 'meta', 'members'];

export function toUserRecord(input: ScimJson): UserRecord {
  const resource = normalize(input, USER_OWNED, 'User');
  const userName = requiredString(resource, 'userName');
  const active = toActive(attribute(resource, 'active'));
  const withActive = { ...omitAttributes(resource, ['active']), active };
  return { resource: withActive, userName, externalId: optionalString(resource, 'externalId'), active };
}

export function toGroupRecord(input: ScimJson): GroupRecord {
  const memberIds = toMemberIds(isObject(input) ? attribute(input, 'members') : undefined);
  const resource = normalize(input, GROUP_OWNED, 'Group');
  return {
    resource,
    displayName: requiredString(resource, 'displayName'),
    externalId: optionalString(resource, 'externalId'),
    memberIds,
  };
}

function normalize(input: ScimJson, owned: string[], type: string): ScimJson {
  if (!isObject(input)) throw new InvalidValueError(`${type} must be a JSON object`);
  return withoutNulls(omitAttributes(input, owned)) as ScimJson;
}

function requiredString(resource: ScimJson, name: string): string {
  const value = attribute(resource, name);
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidValueError(`${name} is required and must be a non-empty string`);
  return value;
}

function optionalString(resource: ScimJson, name: string): string | null {
  const value = attribute(resource, name);
  if (value === undefined) return null;
  if (typeof value !== 'string') throw new InvalidValueError(`${name} must be a string`);
  return value;
}

/** `active` defaults to true; Entra and OneLogin send "True"/"False" strings. */
function toActive(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw new InvalidValueError('active must be a boolean');
}

function toMemberIds(members: unknown): string[] {
  if (members === undefined || members === null) return [];
  // OneLogin sends a single object where the schema says array
  const list = Array.isArray(members) ? members : [members];
  const ids = new Set<string>();
  for (const member of list) {
    if (member === null || member === undefined) continue;
    if (!isObject(member) || typeof member.value !== 'string' || member.value === '') {
      throw new InvalidValueError('every member needs a "value" with the id of a User');
    }
    if (typeof member.type === 'string' && member.type.toLowerCase() === 'group') {
      throw new InvalidValueError(`member ${member.value} is a Group: nested groups are not supported`);
    }
    ids.add(member.value);
  }
  return [...ids];
}
