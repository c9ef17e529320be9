export * from './port.ts';
export { openDatabase } from './open.ts';
export { advisoryKey } from './advisory-key.ts';
export { DatabaseError, type DatabaseErrorCode } from './errors.ts';
