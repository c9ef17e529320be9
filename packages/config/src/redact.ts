import type { ConfigShape } from './key.ts';

/** A copy of a loaded config safe to log: secret values are replaced by "[redacted]". */
export function redactConfig<S extends ConfigShape>(shape: S, config: { readonly [K in keyof S]: unknown }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [prop, key] of Object.entries(shape)) {
    const value = (config as Record<string, unknown>)[prop];
    out[prop] = key.secret && value !== undefined ? '[redacted]' : value;
  }
  return out;
}
