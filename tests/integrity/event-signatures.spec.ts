import { generateKeyPairSync, randomUUID } from 'node:crypto';
import {
  canonicalize,
  chainHash,
  ed25519Signer,
  PostgresEventStore,
  registerLogSigningKey,
  verifyChains,
} from '@duban/event-store';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const clock = { now: () => new Date('2026-11-23T02:00:00.000Z') };

/**
 * Whoever holds only the application's database password can INSERT an event with a chain hash they computed (the
 * algorithm is public). The server's signature — a key the database never holds — is what names it a forgery.
 */
describe('event signatures: an INSERT by the application role is a forgery (real PostgreSQL)', () => {
  let db: TestDatabase;
  const server = ed25519Signer(generateKeyPairSync('ed25519').privateKey);
  const stranger = ed25519Signer(generateKeyPairSync('ed25519').privateKey);
  const annulled = { type: 'FindingAnnulled', data: { reason: '误报', signedBy: { userId: 'sup-1', name: '李组长', unitId: 'county-office', role: 'supervisor' } } };

  /** What an attacker with duban_app's password can do: the next event of a stream, its chain hash computed by hand. */
  const forge = async (streamId: string, signature?: { keyId: string; signature: string }) => {
    const { rows } = await db.appPool.query('SELECT version, hash FROM events WHERE stream_id = $1 ORDER BY version DESC LIMIT 1', [streamId]);
    const version = rows[0].version + 1;
    const fields = {
      streamId,
      version,
      eventId: randomUUID(),
      type: annulled.type,
      data: annulled.data,
      metadata: { correlationId: 'x', causationId: 'x', commandId: 'x', commandType: 'AnnulFinding' },
      recordedAt: '2026-11-23T03:00:00.000Z',
    };
    const hash = chainHash(rows[0].hash, fields);
    await db.appPool.query(
      `INSERT INTO events (stream_id, version, event_id, type, data, metadata, recorded_at, prev_hash, hash, signing_key_id, signature)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        streamId,
        version,
        fields.eventId,
        fields.type,
        canonicalize(fields.data),
        canonicalize(fields.metadata),
        fields.recordedAt,
        rows[0].hash,
        hash,
        signature?.keyId ?? null,
        signature?.signature ?? null,
      ],
    );
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const store = new PostgresEventStore(db.appPool, clock, server);
    for (const id of ['f-unsigned', 'f-copied', 'f-stranger', 'f-clean']) {
      await store.append([
        { streamId: `finding-${id}`, expectedVersion: 0, events: [{ eventId: randomUUID(), type: 'FindingRecorded', data: { n: 1 }, metadata: { correlationId: 'seed' } }] },
      ]);
    }
  });
  afterAll(async () => db?.drop());

  it('signed events verify; the chains alone cannot tell a forged one, the signatures can', async () => {
    expect(await verifyChains(db.appPool, { publicKeys: [server.publicKeyPem] })).toMatchObject({
      ok: true,
      signatures: { checked: true, signedEvents: 4 },
    });

    await forge('finding-f-unsigned');
    // A signature lifted from a genuine event signs another hash.
    const { rows } = await db.appPool.query(`SELECT signing_key_id, signature FROM events WHERE stream_id = 'finding-f-clean'`);
    await forge('finding-f-copied', { keyId: rows[0].signing_key_id, signature: rows[0].signature });
    // A key of the attacker's own is not the server's.
    await forge('finding-f-stranger', { keyId: stranger.keyId, signature: stranger.sign('anything').toString('base64') });

    const chainsOnly = await verifyChains(db.appPool);
    expect(chainsOnly).toMatchObject({ ok: true, signatures: { checked: false } });

    const report = await verifyChains(db.appPool, { publicKeys: [server.publicKeyPem] });
    expect(report.ok).toBe(false);
    expect(report.breaks.map((b) => [b.streamId, b.version, b.reason])).toEqual([
      ['finding-f-copied', 2, 'bad_signature'],
      ['finding-f-stranger', 2, 'bad_signature'],
      ['finding-f-unsigned', 2, 'unsigned'],
    ]);
    expect(report.breaks[2].message).toMatch(/服务器签名.*\(UNSIGNED\)$/);
  });

  it('the application role can no longer write the directory, the log signing keys or the signing epoch', async () => {
    const refused = async (sql: string) => (await db.appPool.query(sql).then(() => null, (err) => err.code)) as string | null;
    expect(await refused(`INSERT INTO directory_units (unit_id, name, kind) VALUES ('u-x', 'x', 'town')`)).toBe('42501');
    expect(await refused(`UPDATE directory_users SET role = 'admin'`)).toBe('42501');
    expect(await refused(`DELETE FROM directory_users`)).toBe('42501');
    expect(await refused(`INSERT INTO log_signing_keys (key_id, public_key_pem) VALUES ('k', 'pem')`)).toBe('42501');
    expect(await refused(`UPDATE event_signing_epoch SET since_position = 1000000`)).toBe('42501');
    // Reading stays allowed, and the owner registers keys.
    expect(await refused(`SELECT * FROM directory_users`)).toBeNull();
    await registerLogSigningKey(db.adminPool, server);
    expect((await db.appPool.query('SELECT key_id FROM log_signing_keys')).rows).toEqual([{ key_id: server.keyId }]);
  });
});
