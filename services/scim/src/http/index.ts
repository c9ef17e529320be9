export { buildScimRouter, type ScimRouterDeps, type ScimRouterConfig } from './router.ts';
export { mapError } from './errors.ts';
export { consoleLogger, silentLogger, type ScimLogger } from './logger.ts';
export { strictRequests, type Leniency, type LeniencyRequest } from './leniency-hook.ts';
export { SCIM_CONTENT_TYPE } from './send.ts';
