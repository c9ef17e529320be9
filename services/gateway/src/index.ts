export { createGatewayService, type GatewayService, type GatewayServiceDeps, type ServiceLogger } from './service.ts';
export { gatewayConfigKeys, gatewayConfigLoader, loadGatewayConfig, issuerOf, tokenUrlOf, type GatewayConfig, type GatewayServiceConfig } from './config.ts';
export { buildOpenApiDocument, OPERATIONS } from './http/openapi.ts';
export { DURABLES } from './consumers.ts';
export { GATEWAY_DB_SCHEMA, gatewayMigrationsFolder, migrateGateway } from './store/migrations.ts';
export { GatewayError, type GatewayErrorCode } from './errors.ts';
