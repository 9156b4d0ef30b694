/** Type-checking runs once in `npm run typecheck`; tests only transpile, which keeps the suite fast. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  setupFiles: ['<rootDir>/tests/setup-env.ts'],
  setupFilesAfterEnv: ['<rootDir>/tests/setup-after-env.ts'],
  globalSetup: '<rootDir>/tests/global-setup.ts',
  // Generous: some tests start a whole service (NLU training) inside the test, and CI machines are shared.
  testTimeout: 60000,
};
