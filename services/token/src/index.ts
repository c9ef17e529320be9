export { createTokenService, type TokenService, type TokenServiceDeps, type TokenServiceConfig, type ServiceLogger } from './service.ts';
export { tokenConfigLoader, tokenConfigKeys, loadTokenConfig, issuerOf, MAX_TOKEN_TTL_SECONDS, type TokenConfig } from './config.ts';
export { resolveKeyEncryptionKey } from './crypto/resolve-kek.ts';
export { migrateToken, TOKEN_DB_SCHEMA, tokenMigrationsFolder } from './store/migrations.ts';
export { SCIM_AUDIENCE, SCIM_SCOPE } from './credentials/issue.ts';
export { authorizationServerMetadata } from './http/well-known-router.ts';
export { parseTrustedIssuers, type TrustedIssuerConfig } from './exchange/trusted-issuers.ts';
export { TokenServiceError, OAuthError, type TokenServiceErrorCode, type OAuthErrorCode } from './errors.ts';
