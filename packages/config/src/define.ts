import { commonKeys } from './common.ts';
import type { CommonKeys } from './common.ts';
import { ConfigError } from './errors.ts';
import type { ConfigIssue } from './errors.ts';
import { documentKeys } from './key.ts';
import type { ConfigOf, ConfigShape, KeyDoc } from './key.ts';

export type Env = Record<string, string | undefined>;

export interface ConfigLoader<S extends ConfigShape> {
  /** Parses `env`; throws one `ConfigError` listing every invalid key. The result is frozen. */
  load(env?: Env): ConfigOf<S>;
  /** Every key this loader reads, for documentation and README checks. */
  readonly keys: readonly KeyDoc[];
  readonly shape: S;
}

/**
 * Declares a service's configuration: the common keys plus the service's own. Each service owns
 * its keys (token: FFGATE_ISSUER …, transcoder: FFGATE_MEDIA_ROOT …); there is no central list.
 */
export function defineConfig<S extends ConfigShape = {}>(serviceKeys?: S): ConfigLoader<CommonKeys & S> {
  const shape = mergeShapes(commonKeys, serviceKeys ?? ({} as S));
  return Object.freeze({
    shape,
    keys: Object.freeze(documentKeys(shape)),
    load: (env: Env = process.env) => parseShape(shape, env),
  });
}

function mergeShapes<A extends ConfigShape, B extends ConfigShape>(a: A, b: B): A & B {
  const seen = new Map<string, string>();
  for (const [prop, key] of [...Object.entries(a), ...Object.entries(b)]) {
    const owner = seen.get(key.env);
    // Two properties reading one variable is a programming error: fail at definition time.
    if (owner !== undefined && owner !== prop) {
      throw new Error(`config key ${key.env} is declared twice (${owner} and ${prop})`);
    }
    seen.set(key.env, prop);
  }
  return Object.freeze({ ...a, ...b });
}

function parseShape<S extends ConfigShape>(shape: S, env: Env): ConfigOf<S> {
  const issues: ConfigIssue[] = [];
  const values: Record<string, unknown> = {};
  for (const [prop, key] of Object.entries(shape)) {
    // An empty variable (`PORT=`) means "unset": compose files and shells produce them easily.
    const raw = env[key.env] === '' ? undefined : env[key.env];
    const result = key.schema.safeParse(raw ?? key.default);
    if (result.success) {
      values[prop] = result.data;
    } else {
      const message = raw === undefined && key.default === undefined ? 'is required' : result.error.issues.map((i) => i.message).join('; ');
      issues.push({ key: key.env, message });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return Object.freeze(values) as ConfigOf<S>;
}

const commonLoader = defineConfig();

/** Common keys only (port, data dir, database, NATS, tokens, public URL, log level). */
export function loadConfig(env: Env = process.env): ConfigOf<CommonKeys> {
  return commonLoader.load(env);
}

/** Documentation for the common keys; services expose theirs through `loader.keys`. */
export const configKeys: readonly KeyDoc[] = commonLoader.keys;

export type Config = ConfigOf<CommonKeys>;
