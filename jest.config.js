/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testTimeout: 30000,
  // Checks once whether the store tests' PostgreSQL server answers (test/store/support.ts reads the answer).
  globalSetup: '<rootDir>/test/store/postgres-probe.ts',
};
