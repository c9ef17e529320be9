export { composeAllInOne, type AllInOne } from './compose.ts';
export { allInOneConfigLoader, loadAllInOneConfig, type AllInOneConfig } from './config.ts';
export { developmentAdminToken } from './admin-token.ts';
