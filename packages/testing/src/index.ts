export * from './wait.ts';
export * from './postgres.ts';
export * from './nats-server.ts';
export * from './services.ts';
export * from './process.ts';
export * from './fake-idp.ts';
