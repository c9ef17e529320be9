// Jest in ESM mode: execa and jose are ESM-only (see ../shared/STACK.md).
// Sources are TypeScript run directly by Node 24; swc strips types for jest.
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }];
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  testMatch: ['<rootDir>/{packages,services}/*/test/**/*.test.ts'],
  testTimeout: 60000,
  // integration suites spawn servers and databases: keep the 2-core machine from thrashing
  maxWorkers: 2,
};
