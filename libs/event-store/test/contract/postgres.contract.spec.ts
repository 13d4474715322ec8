import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database';
import { PostgresEventStore, verifyChains } from '../../src';
import { eventStoreContract } from './event-store.contract';

// The PostgreSQL adapter against a real server: a database cloned from the migrated template (tests/support).
eventStoreContract('PostgreSQL', async (clock, signer) => {
  const db: TestDatabase = await createTestDatabase();
  return {
    store: new PostgresEventStore(db.appPool, clock, signer),
    verifyStream: (streamId, publicKeyPem) => verifyChains(db.appPool, { streamId, publicKeys: [publicKeyPem] }),
    teardown: () => db.drop(),
  };
});
