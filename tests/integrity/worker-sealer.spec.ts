import { NestFactory } from '@nestjs/core';
import { INestApplicationContext } from '@nestjs/common';
import { createPrivateKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { ed25519Signer, MerkleLogReader, PostgresEventStore, verifyCheckpointSignature, verifyMerkleLog } from '@duban/event-store';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { createTestDatabase, TestDatabase } from '../support/test-database';

describe('the worker seals the log and signs checkpoints on its own (real PostgreSQL)', () => {
  let db: TestDatabase;
  let worker: INestApplicationContext | undefined;
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const saved = process.env.DUBAN_LOG_SIGNING_KEY;

  beforeAll(async () => {
    db = await createTestDatabase();
    process.env.DUBAN_LOG_SIGNING_KEY = pem;
  });
  afterAll(async () => {
    await worker?.close();
    if (saved === undefined) delete process.env.DUBAN_LOG_SIGNING_KEY;
    else process.env.DUBAN_LOG_SIGNING_KEY = saved;
    await db.drop();
  });

  it('appends new events as leaves and signs a checkpoint with the configured key every interval', async () => {
    const store = new PostgresEventStore(db.appPool, { now: () => new Date() });
    await store.append([{ streamId: 'w-1', expectedVersion: 0, events: [{ eventId: randomUUID(), type: 'Step', data: { n: 1 }, metadata: { correlationId: 'c' } }] }]);
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot({ appDatabaseUrl: db.appUrl, pollIntervalMs: 100, logLevel: 'silent', integrity: { sealIntervalMs: 50 } }),
      { logger: false },
    );
    await worker.init();
    await store.append([{ streamId: 'w-1', expectedVersion: 1, events: [{ eventId: randomUUID(), type: 'Step', data: { n: 2 }, metadata: { correlationId: 'c' } }] }]);
    const reader = new MerkleLogReader(db.appPool);
    const deadline = Date.now() + 20_000;
    while ((await reader.latestCheckpoint())?.treeSize !== 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const cp = await reader.latestCheckpoint();
    const expected = ed25519Signer(createPrivateKey(pem));
    expect(cp).toMatchObject({ treeSize: 2, keyId: expected.keyId });
    expect(verifyCheckpointSignature(cp!, expected.publicKeyPem)).toBe(true);
    expect(await verifyMerkleLog(db.appPool, { trustedKeys: [expected.publicKeyPem] })).toMatchObject({ ok: true, treeSize: 2 });
    await worker.close();
    worker = undefined;
  });
});
