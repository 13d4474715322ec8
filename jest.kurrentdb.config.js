// `npm run test:kurrentdb`: the event-store contract against the KurrentDB server KURRENTDB_URL names, with the
// adapter's unit tests. No PostgreSQL is started: the contract touches only the event store.
const { globalSetup, globalTeardown, ...base } = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: ['**/*.kurrentdb-spec.ts', '**/libs/event-store/src/kurrentdb/**/*.spec.ts'],
};
