export * from './wait.ts';
export * from './postgres.ts';
export * from './nats-server.ts';
export * from './services.ts';
