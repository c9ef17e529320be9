import type { z } from 'zod';

/**
 * One configuration key: the environment variable it is read from, the zod schema that parses the
 * raw string (or `undefined` when unset), and the documentation shown in the README table.
 */
export interface ConfigKey<T> {
  readonly env: string;
  readonly schema: z.ZodType<T, string | undefined>;
  /** Raw string used when the variable is unset or empty; documented as-is. */
  readonly default?: string;
  readonly description: string;
  /** Never print the value (tokens, URLs with passwords). */
  readonly secret?: boolean;
}

export type ConfigShape = Record<string, ConfigKey<unknown>>;

/** The parsed config for a shape: every property read-only, optional keys `T | undefined`. */
export type ConfigOf<S extends ConfigShape> = {
  readonly [K in keyof S]: S[K] extends ConfigKey<infer T> ? T : never;
};

/** A documented key as listed in the README. */
export interface KeyDoc {
  env: string;
  default: string | undefined;
  description: string;
  secret: boolean;
}

/** Helper that keeps the schema's output type while declaring a key. */
export function configKey<T>(
  env: string,
  schema: z.ZodType<T, string | undefined>,
  doc: { description: string; default?: string; secret?: boolean },
): ConfigKey<T> {
  return Object.freeze({ env, schema, ...doc });
}

export function documentKeys(shape: ConfigShape): KeyDoc[] {
  return Object.values(shape).map((key) => ({
    env: key.env,
    default: key.default,
    description: key.description,
    secret: key.secret === true,
  }));
}
