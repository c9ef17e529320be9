export type * from './port.ts';
export * from './errors.ts';
export { createIdentityStore, type IdentityStoreOptions } from './identity-store.ts';
export { SCIM_DB_SCHEMA, scimMigrationsFolder, migrateScim } from './migrations.ts';
export { users, groups, groupMembers, connections, outbox } from './schema.ts';
