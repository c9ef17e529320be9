export { z } from 'zod';
export { ConfigError } from './errors.ts';
export type { ConfigIssue } from './errors.ts';
export { configKey } from './key.ts';
export type { ConfigKey, ConfigOf, ConfigShape, KeyDoc } from './key.ts';
export { commonKeys } from './common.ts';
export type { CommonKeys } from './common.ts';
export { defineConfig, loadConfig, configKeys } from './define.ts';
export type { Config, ConfigLoader, Env } from './define.ts';
export {
  LOG_LEVELS,
  booleanSchema,
  enumSchema,
  natsUrlSchema,
  portSchema,
  positiveIntSchema,
  secretSchema,
  urlSchema,
} from './schemas.ts';
export type { LogLevel } from './schemas.ts';
