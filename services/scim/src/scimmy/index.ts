export { configureScimmy } from './setup.ts';
export { parseResource, renderResource, applyPatch, etagOf, ENDPOINT } from './codec.ts';
export { parseProjection, type Projection } from './projection.ts';
export { scimError, isScimProtocolError, type ScimProtocolError } from './errors.ts';
export * as discovery from './discovery.ts';
export { MAX_BULK_OPERATIONS, MAX_BULK_PAYLOAD, MAX_PAGE_SIZE } from './limits.ts';
