export * from './identity.ts';
export * from './events.ts';
export * from './subjects.ts';
export * from './catalog.ts';
