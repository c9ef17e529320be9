export { runService, hostApp, type HostedService, type RunServiceOptions, type CommonRuntimeConfig } from './run-service.ts';
