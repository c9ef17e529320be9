/**
 * @ffgate/scim — public surface. `buildScimApp` is the service; `main.ts` (and the all-in-one
 * entry) composes it from a migrated database:
 *
 *   const database = await openDatabase({ url });
 *   await migrateScim(database);
 *   const app = buildScimApp({
 *     store: createIdentityStore({ database }),
 *     connections: createConnectionsRepository(database),
 *     leniency,                                   // IdP quirks (Okta, Entra, OneLogin)
 *     config: { scimToken, baseUrl },
 *     adminToken,
 *     logger,
 *   });
 */
export { buildScimApp, type ScimAppDeps } from './app.ts';
export * from './http/index.ts';
export * from './admin/index.ts';
export * from './auth/index.ts';
export * from './store/index.ts';
export * as leniency from './leniency/index.ts';
export { createScimService, type ScimService, type ScimServiceDeps, type ScimServiceConfig } from './service.ts';
export { scimConfigKeys, scimConfigLoader, loadScimConfig, type ScimConfig } from './config.ts';
