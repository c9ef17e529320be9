export { buildAdminRouter, type AdminRouterDeps } from './router.ts';
