export * from './identity.ts';
export * from './events.ts';
export * from './subjects.ts';
export * from './catalog.ts';
export * from './tokens.ts';
export * from './jobs.ts';
export * from './audit.ts';
