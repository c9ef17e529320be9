import SCIMMY from 'scimmy';
import type { ScimJson } from '../store/port.ts';

/**
 * Discovery documents (RFC 7644 §4) generated from scimmy's declarations, so they describe
 * exactly the schemas the codec validates against. Built per request with that request's base
 * URL (scimmy's own Resource basepaths are process-global).
 */
const toPlain = (value: unknown): ScimJson => JSON.parse(JSON.stringify(value)) as ScimJson;

export function serviceProviderConfig(base: string): ScimJson {
  return toPlain(new SCIMMY.Schemas.ServiceProviderConfig(SCIMMY.Config.get(), `${base}/ServiceProviderConfig`));
}

export function resourceTypes(base: string): ScimJson[] {
  return Object.values(SCIMMY.Resources.declared() as Record<string, typeof SCIMMY.Resources.User>).map((R) =>
    toPlain(new SCIMMY.Schemas.ResourceType(R.describe(), `${base}/ResourceTypes`)),
  );
}

export function resourceType(base: string, id: string): ScimJson | undefined {
  return resourceTypes(base).find((r) => r.id === id);
}

export function schemas(base: string): ScimJson[] {
  return SCIMMY.Schemas.declared().map((definition) => toPlain(definition.describe(`${base}/Schemas`)));
}

export function schema(base: string, id: string): ScimJson | undefined {
  return schemas(base).find((s) => s.id === id);
}
