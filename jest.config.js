// One config, two kinds of suite: pure unit tests (no database) and integration tests that get a
// database cloned from a migrated template by tests/support/global-setup.ts.
const swc = ['@swc/jest', {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
}];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/workflows', '<rootDir>/tests'],
  // The KurrentDB contract needs a server the repository cannot ship: collected only when KURRENTDB_URL names one
  // (`npm run test:kurrentdb`), never as a skipped test.
  testMatch: ['**/*.spec.ts', '**/*.test.ts', ...(process.env.KURRENTDB_URL ? ['**/*.kurrentdb-spec.ts'] : [])],
  // The web app's component tests run under Vitest (apps/web/vitest.config.mts).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/apps/web/src/'],
  transform: { '^.+\\.(t|j)s$': swc },
  // openid-client and its two dependencies ship only as ES modules; compiled like our own sources.
  transformIgnorePatterns: ['/node_modules/(?!(openid-client|oauth4webapi|jose)/)'],
  moduleNameMapper: {
    '^@duban/(application|domain|event-store|read-models|contracts)$': '<rootDir>/libs/$1/src',
    '^@duban/(application|domain|event-store|read-models|contracts)/(.*)$': '<rootDir>/libs/$1/src/$2',
    '^@duban/workflows/(.*)$': '<rootDir>/workflows/$1',
  },
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
  setupFiles: ['reflect-metadata'],
  testTimeout: 60000,
};
