import SCIMMY from 'scimmy';
import type { ResourceType, ScimJson, StoredResource } from '../store/port.ts';
import { scimError } from './errors.ts';

/**
 * Translation between the wire (SCIM JSON from IdPs / to IdPs) and the store's plain SCIM JSON,
 * with scimmy's schema classes doing validation, coercion and projection.
 */
type SchemaClass = typeof SCIMMY.Schemas.User | typeof SCIMMY.Schemas.Group;
type Projection = InstanceType<typeof SCIMMY.Types.Filter>;

const SCHEMA: Record<ResourceType, SchemaClass> = { User: SCIMMY.Schemas.User, Group: SCIMMY.Schemas.Group };
export const ENDPOINT: Record<ResourceType, string> = { User: 'Users', Group: 'Groups' };

/** Attributes the service owns or never stores: dropped from every incoming representation. */
const NOT_STORED = ['schemas', 'id', 'meta', 'groups', 'password'];

/**
 * scimmy reports schema violations (wrong type, missing required attribute, non-canonical value)
 * as plain TypeErrors; at this boundary they are the client's fault → 400 invalidValue.
 */
function asClientError<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof TypeError) throw scimError(400, 'invalidValue', error.message);
    throw error;
  }
}

const toPlain = (value: unknown): ScimJson => JSON.parse(JSON.stringify(value)) as ScimJson;

/**
 * Validate and coerce an incoming User/Group (POST, PUT, result of a PATCH) and reduce it to
 * what the store keeps. Unknown attributes and unknown schema URNs are ignored (scimmy drops
 * them; IdPs such as Entra send extra URNs). `password` is accepted and dropped: ffgate stores no
 * passwords (users authenticate at their IdP), and /Schemas marks it writeOnly/returned never.
 */
export function parseResource(type: ResourceType, body: unknown): ScimJson {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw scimError(400, 'invalidSyntax', `request body must be a single ${type} object`);
  }
  const Schema = SCHEMA[type];
  const resource = toPlain(asClientError(() => new Schema(body as Record<string, unknown>, 'in')));
  for (const key of NOT_STORED) delete resource[key];
  if (type === 'Group') resource.members = uniqueMembers(resource.members);
  if (resource.members === undefined) delete resource.members;
  return resource;
}

/** Groups never list a member twice (IdPs re-send members they already added). */
function uniqueMembers(members: unknown): ScimJson[] | undefined {
  if (!Array.isArray(members)) return undefined;
  const seen = new Map<string, ScimJson>();
  for (const member of members as ScimJson[]) {
    const { $ref: _ref, ...rest } = member;
    if (typeof rest.value === 'string' && !seen.has(rest.value)) seen.set(rest.value, rest);
  }
  return [...seen.values()];
}

/** The full representation (id, meta, references) before projection. */
function representation(type: ResourceType, stored: StoredResource, base: string): ScimJson {
  const resource: ScimJson = { ...stored.resource };
  if (type === 'User' && Array.isArray(resource.groups)) {
    resource.groups = (resource.groups as ScimJson[]).map((g) => ({ ...g, $ref: `${base}/Groups/${String(g.value)}` }));
  }
  if (type === 'Group' && Array.isArray(resource.members)) {
    resource.members = (resource.members as ScimJson[]).map((m) => {
      const memberType = m.type === 'Group' ? 'Group' : 'User';
      return { ...m, type: memberType, $ref: `${base}/${ENDPOINT[memberType]}/${String(m.value)}` };
    });
  }
  return {
    ...resource,
    id: stored.id,
    meta: {
      resourceType: type,
      created: stored.created.toISOString(),
      lastModified: stored.lastModified.toISOString(),
      version: etagOf(stored.version),
    },
  };
}

export const etagOf = (version: number): string => `W/"${version}"`;

/**
 * Render a stored resource for a response: scimmy's outbound coercion drops writeOnly/never
 * attributes, fills `schemas` and `meta.location` (absolute, from `base`) and applies the
 * `attributes`/`excludedAttributes` projection. Nulls are dropped once, by `sendScim`.
 */
export function renderResource(type: ResourceType, stored: StoredResource, base: string, projection?: Projection): ScimJson {
  const Schema = SCHEMA[type];
  return toPlain(new Schema(representation(type, stored, base), 'out', `${base}/${ENDPOINT[type]}`, projection));
}

/**
 * Apply a PatchOp message to the current state. Runs inside the store's update transaction, so a
 * failing operation (any of them) throws before anything is written: the resource is untouched.
 * Returns null when the operations change nothing.
 */
export async function applyPatch(type: ResourceType, current: StoredResource, message: unknown, base: string): Promise<ScimJson | null> {
  if (message === null || typeof message !== 'object' || Array.isArray(message)) {
    throw scimError(400, 'invalidSyntax', 'PATCH body must be a PatchOp message');
  }
  const patch = asClientError(() => new SCIMMY.Messages.PatchOp(message as ConstructorParameters<typeof SCIMMY.Messages.PatchOp>[0]));
  const Schema = SCHEMA[type];
  // "both": the working copy holds id/meta/groups so an operation that re-sends the resource's own
  // id (Okta) is accepted while a different id is a mutability error.
  const instance = asClientError(() => new Schema(representation(type, current, base)));
  const patched = await patch.apply(instance).catch((error: unknown) => {
    if (error instanceof TypeError) throw scimError(400, 'invalidValue', error.message);
    throw error;
  });
  if (!patched) return null;
  // re-validate the whole result as an incoming resource (required attributes, types)
  return parseResource(type, toPlain(patched));
}
