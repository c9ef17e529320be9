export * from './port.ts';
export * from './table.ts';
