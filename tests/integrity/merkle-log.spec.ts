import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  chainHash,
  consistencyProof,
  ed25519Signer,
  fromHex,
  leafHash,
  merkleRoot,
  MerkleLogReader,
  MerkleLogSealer,
  NewEvent,
  PostgresEventStore,
  rootFromInclusionProof,
  signCheckpoint,
  SignedCheckpoint,
  toHex,
  verifyChains,
  verifyCheckpointSignature,
  verifyConsistency,
  verifyInclusion,
  verifyMerkleLog,
} from '@duban/event-store';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * Tamper tests for the discipline inspector's integrity check, on a real PostgreSQL: the application appends and the
 * worker's sealer seals; a superuser then edits, deletes, swaps, re-chains and truncates, bypassing the append-only
 * triggers. Each is detected by the hash-chain verifier and/or the Merkle log, naming the event.
 */
const root = join(__dirname, '..', '..');
let now = new Date('2026-11-23T02:00:00.000Z');
const clock = { now: () => new Date(now) };
const tick = () => (now = new Date(now.getTime() + 60_000));
const ev = (n: number): NewEvent => ({
  eventId: randomUUID(),
  type: 'Step',
  data: { n, 内容: `第${n}步整改` },
  metadata: { correlationId: `c-${n}` },
});

async function tamper(db: TestDatabase, sql: string, params: unknown[] = []): Promise<void> {
  const client = await db.adminPool.connect();
  try {
    await client.query('BEGIN');
    // A superuser can do this; the triggers that refuse UPDATE/DELETE/TRUNCATE are bypassed on purpose.
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(sql, params);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

interface Row {
  event_id: string;
  stream_id: string;
  version: number;
  hash: string;
}
const eventOf = async (db: TestDatabase, streamId: string, version: number): Promise<Row> =>
  (
    await db.adminPool.query<Row>('SELECT event_id::text AS event_id, stream_id, version, hash FROM events WHERE stream_id = $1 AND version = $2', [
      streamId,
      version,
    ])
  ).rows[0];

/** Another test file's open transaction holds back the commit-order horizon: wait until every event is readable. */
async function sealAll(db: TestDatabase, sealer: MerkleLogSealer) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { rows } = await db.adminPool.query(
      `SELECT count(*) FILTER (WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot()))::int AS visible, count(*)::int AS total FROM events`,
    );
    if (rows[0].visible === rows[0].total) break;
    if (Date.now() > deadline) throw new Error('events did not become visible in commit order within 30 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  return sealer.catchUp();
}

/** The server key the events of this file are signed with, as the API's and the worker's would be. */
const eventSigner = ed25519Signer(generateKeyPairSync('ed25519').privateKey);
const eventKeyFile = join(mkdtempSync(join(tmpdir(), 'duban-event-key-')), 'event-public-key.pem');
writeFileSync(eventKeyFile, eventSigner.publicKeyPem);

function runVerifyCli(db: TestDatabase, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: db.adminUrl, DUBAN_EVENT_PUBLIC_KEY: eventKeyFile };
    delete env.DUBAN_LOG_SIGNING_KEY;
    delete env.DUBAN_LOG_PUBLIC_KEY;
    delete env.DUBAN_EVENT_SIGNING_KEY;
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', join(root, 'apps/worker/src/cli/verify.ts'), ...args],
      { cwd: root, env, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('global Merkle log: sealing, proofs and tamper evidence (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let sealer: MerkleLogSealer;
  let reader: MerkleLogReader;
  const { privateKey } = generateKeyPairSync('ed25519');
  const signer = ed25519Signer(privateKey);
  const tmp = mkdtempSync(join(tmpdir(), 'duban-verify-'));
  const publicKeyFile = join(tmp, 'log-public-key.pem');
  /** What the inspector kept outside the system after their first visit. */
  let kept: SignedCheckpoint;
  let latest: SignedCheckpoint;

  beforeAll(async () => {
    writeFileSync(publicKeyFile, signer.publicKeyPem);
    db = await createTestDatabase();
    store = new PostgresEventStore(db.appPool, clock, eventSigner);
    // The sealer runs as the application role, like the worker: INSERT and SELECT only.
    sealer = new MerkleLogSealer(db.appPool, signer, clock, { batchSize: 7 });
    reader = new MerkleLogReader(db.appPool);
    for (const s of ['edit', 'delete', 'swap', 'rechain', 'clean']) {
      await store.append([{ streamId: `t-${s}`, expectedVersion: 0, events: [1, 2, 3, 4].map(ev) }]);
      tick();
    }
    const first = await sealAll(db, sealer);
    kept = first.checkpoint!;
    tick();
    // A multi-stream append commits two streams in one transaction; then the tail that will be truncated.
    await store.append([
      { streamId: 't-clean', expectedVersion: 4, events: [ev(5)] },
      { streamId: 't-multi', expectedVersion: 0, events: [ev(1), ev(2)] },
    ]);
    tick();
    await store.append([{ streamId: 't-tail', expectedVersion: 0, events: [1, 2, 3].map(ev) }]);
    tick();
    latest = (await sealAll(db, sealer)).checkpoint!;
  });
  afterAll(async () => db.drop());

  it('seals every event once, in commit order, and signs a checkpoint only when the log grew', async () => {
    expect(kept).toMatchObject({ treeSize: 20, keyId: signer.keyId });
    expect(latest).toMatchObject({ treeSize: 26, keyId: signer.keyId });
    const again = await sealer.catchUp();
    expect(again).toMatchObject({ leavesAppended: 0, treeSize: 26, checkpoint: null });
    const { rows } = await db.adminPool.query(
      `SELECT l.leaf_index::int AS i, e.event_id::text AS e FROM log_leaves l JOIN events e ON e.event_id = l.event_id
        ORDER BY e.transaction_id, e.position`,
    );
    expect(rows.map((r) => r.i)).toEqual([...Array(26).keys()]);
    const cps = await reader.checkpoints();
    expect(cps.map((c) => c.treeSize)).toEqual([26, 20]);
    for (const cp of cps) expect(verifyCheckpointSignature(cp, signer.publicKeyPem)).toBe(true);
    // The application role cannot rewrite the log either.
    await expect(db.appPool.query('UPDATE log_checkpoints SET root_hash = root_hash')).rejects.toThrow(/permission denied/);
    await expect(db.appPool.query('DELETE FROM log_leaves')).rejects.toThrow(/permission denied/);
    await expect(db.adminPool.query('DELETE FROM log_leaves WHERE leaf_index = 0')).rejects.toThrow(/append-only/);
    await expect(db.adminPool.query('TRUNCATE log_checkpoints')).rejects.toThrow(/append-only/);
  });

  it('passes an untouched log: chains, leaves, roots and signatures', async () => {
    expect(await verifyChains(db.appPool)).toMatchObject({ ok: true, eventsChecked: 26 });
    const report = await verifyMerkleLog(db.appPool, { trustedKeys: [signer.publicKeyPem], externalCheckpoints: [kept] });
    expect(report).toMatchObject({ ok: true, treeSize: 26, leavesChecked: 26, checkpointsChecked: 3, keysSource: 'trusted', breaks: [] });
    const cli = await runVerifyCli(db, ['--public-key', publicKeyFile]);
    expect(cli.stderr).toContain('verify: OK');
    expect(cli.code).toBe(0);
  });

  it('an inspector who kept an old checkpoint verifies the new one extends it, with the public key alone', async () => {
    const { from, to, proof } = await reader.consistencyProof(kept.treeSize, latest.treeSize);
    expect(from).toEqual(kept);
    expect(verifyCheckpointSignature(kept, signer.publicKeyPem)).toBe(true);
    expect(verifyCheckpointSignature(to, signer.publicKeyPem)).toBe(true);
    expect(verifyConsistency(kept.treeSize, to.treeSize, fromHex(kept.rootHash), fromHex(to.rootHash), proof.map(fromHex))).toBe(true);
    // And any sealed event is in the signed tree: the leaf is SHA-256(0x00 ‖ the event's chain hash).
    const e = await eventOf(db, 't-swap', 3);
    const inc = await reader.inclusionProof(e.event_id, kept.treeSize);
    expect(inc.leafHash).toBe(toHex(leafHash(fromHex(e.hash))));
    expect(verifyInclusion(leafHash(fromHex(e.hash)), inc.leafIndex, kept.treeSize, inc.auditPath.map(fromHex), fromHex(kept.rootHash))).toBe(true);
    const incLatest = await reader.inclusionProof(e.event_id);
    expect(incLatest.treeSize).toBe(26);
    expect(verifyInclusion(fromHex(incLatest.leafHash), incLatest.leafIndex, 26, incLatest.auditPath.map(fromHex), fromHex(latest.rootHash))).toBe(true);
    // An event sealed after the kept checkpoint is not in it.
    const tail = await eventOf(db, 't-tail', 1);
    await expect(reader.inclusionProof(tail.event_id, kept.treeSize)).rejects.toMatchObject({ code: 'EVENT_AFTER_CHECKPOINT' });
  });

  it('rejects a forged inclusion proof and a forged consistency proof', async () => {
    const e = await eventOf(db, 't-clean', 2);
    const inc = await reader.inclusionProof(e.event_id);
    const path = inc.auditPath.map(fromHex);
    const rootHash = fromHex(latest.rootHash);
    const forgedPath = path.map((p, i) => (i === 1 ? Buffer.from(p.map((b, j) => (j === 0 ? b ^ 0xff : b))) : p));
    expect(verifyInclusion(fromHex(inc.leafHash), inc.leafIndex, 26, forgedPath, rootHash)).toBe(false);
    // A proof for an event whose content was changed: the changed leaf does not reach the signed root.
    const forgedLeaf = leafHash(fromHex(chainHash('0'.repeat(64), { streamId: 't-clean', version: 2, eventId: e.event_id, type: 'Step', data: { n: 2, 内容: '已整改' }, metadata: { correlationId: 'c-2' }, recordedAt: clock.now().toISOString() })));
    expect(verifyInclusion(forgedLeaf, inc.leafIndex, 26, path, rootHash)).toBe(false);
    expect(verifyInclusion(fromHex(inc.leafHash), inc.leafIndex + 1, 26, path, rootHash)).toBe(false);

    // A forged history: the operator rewrites leaf 3 and builds a "consistency proof" from the kept checkpoint.
    const hashes = (await db.adminPool.query('SELECT leaf_hash FROM log_leaves ORDER BY leaf_index')).rows.map((r) => r.leaf_hash as Buffer);
    const rewritten = [...hashes];
    rewritten[3] = leafHash(Buffer.from('rewritten'));
    const forkedRoot = merkleRoot(rewritten);
    const forkedProof = consistencyProof(rewritten, kept.treeSize, 26);
    expect(verifyConsistency(kept.treeSize, 26, fromHex(kept.rootHash), forkedRoot, forkedProof)).toBe(false);
    const { proof } = await reader.consistencyProof(kept.treeSize, 26);
    const flipped = proof.map(fromHex);
    flipped[0] = Buffer.from(flipped[0].map((b, j) => (j === 5 ? b ^ 1 : b)));
    expect(verifyConsistency(kept.treeSize, 26, fromHex(kept.rootHash), rootHash, flipped)).toBe(false);
    // Nor can the operator present the forked root as signed: their key is not the trusted one.
    const mallory = ed25519Signer(generateKeyPairSync('ed25519').privateKey);
    const forkedCheckpoint = signCheckpoint({ treeSize: 26, rootHash: toHex(forkedRoot), timestamp: latest.timestamp }, mallory);
    expect(verifyCheckpointSignature(forkedCheckpoint, signer.publicKeyPem)).toBe(false);
    expect(verifyCheckpointSignature({ ...forkedCheckpoint, keyId: signer.keyId }, signer.publicKeyPem)).toBe(false);
    expect(rootFromInclusionProof(fromHex(inc.leafHash), inc.leafIndex, 26, path)!.equals(rootHash)).toBe(true);
  });

  it('detects an edited payload, a deleted event, swapped payloads, a re-chained stream and a truncated tail, naming each event', async () => {
    const edited = await eventOf(db, 't-edit', 2);
    const deleted = await eventOf(db, 't-delete', 3);
    const swapped = await eventOf(db, 't-swap', 2);
    const rechained = await eventOf(db, 't-rechain', 4);
    const tail2 = await eventOf(db, 't-tail', 2);
    const tail3 = await eventOf(db, 't-tail', 3);
    await tamper(db, `UPDATE events SET data = '{"n":2,"内容":"已整改"}' WHERE stream_id = 't-edit' AND version = 2`);
    await tamper(db, `DELETE FROM events WHERE stream_id = 't-delete' AND version = 3`);
    await tamper(
      db,
      `UPDATE events e SET data = o.data FROM events o
        WHERE e.stream_id = 't-swap' AND o.stream_id = 't-swap'
          AND ((e.version = 2 AND o.version = 3) OR (e.version = 3 AND o.version = 2))`,
    );
    // The careful forger: edits the last event of a stream and recomputes its chain hash, so the chain verifier
    // sees a consistent stream. Only the sealed log still remembers the original.
    const row = (await db.adminPool.query(`SELECT * FROM events WHERE stream_id = 't-rechain' AND version = 4`)).rows[0];
    const forgedData = { n: 4, 内容: '按期完成（伪造）' };
    const forgedHash = chainHash(row.prev_hash, {
      streamId: 't-rechain',
      version: 4,
      eventId: row.event_id,
      type: row.type,
      data: forgedData,
      metadata: JSON.parse(row.metadata),
      recordedAt: row.recorded_at.toISOString(),
    });
    await tamper(db, `UPDATE events SET data = $1, hash = $2 WHERE stream_id = 't-rechain' AND version = 4`, [JSON.stringify(forgedData), forgedHash]);
    // Truncating the tail: the last two events of the log. No version gap is left behind in their stream.
    await tamper(db, `DELETE FROM events WHERE stream_id = 't-tail' AND version >= 2`);

    const chains = await verifyChains(db.appPool);
    const chainBreaks = Object.fromEntries(chains.breaks.map((b) => [b.streamId, b]));
    expect(Object.keys(chainBreaks).sort()).toEqual(['t-delete', 't-edit', 't-swap']);
    expect(chainBreaks['t-edit']).toMatchObject({ eventId: edited.event_id, reason: 'hash_mismatch' });
    expect(chainBreaks['t-delete']).toMatchObject({ version: 4, reason: 'version_gap' });
    expect(chainBreaks['t-swap']).toMatchObject({ eventId: swapped.event_id, reason: 'hash_mismatch' });

    const log = await verifyMerkleLog(db.appPool, { trustedKeys: [signer.publicKeyPem] });
    expect(log.ok).toBe(false);
    const byEvent = Object.fromEntries(log.breaks.filter((b) => b.eventId).map((b) => [b.eventId!, b.reason]));
    expect(byEvent).toEqual({
      [edited.event_id]: 'event_changed',
      [deleted.event_id]: 'event_missing',
      [swapped.event_id]: 'event_changed',
      [(await eventOf(db, 't-swap', 3)).event_id]: 'event_changed',
      [rechained.event_id]: 'event_changed',
      [tail2.event_id]: 'event_missing',
      [tail3.event_id]: 'event_missing',
    });
    // The first broken event in log order is the edited one (sealed first); its message names it.
    expect(log.firstBrokenEvent).toMatchObject({ eventId: edited.event_id, streamId: 't-edit', version: 2, reason: 'event_changed' });
    expect(log.firstBrokenEvent!.message).toContain(edited.event_id);
    // The leaves and signed roots themselves were not touched.
    expect(log.firstBrokenCheckpoint).toBeNull();

    const cli = await runVerifyCli(db, ['--public-key', publicKeyFile]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('verify: BROKEN');
    expect(cli.stderr).toContain(edited.event_id);
    expect(JSON.parse(cli.stdout).log.breaks).toHaveLength(7);
  });

  it('rejects a checkpoint whose signature or root was altered, and one signed by an untrusted key', async () => {
    const sig = Buffer.from(kept.signature, 'base64');
    sig[0] ^= 0x01;
    await tamper(db, 'UPDATE log_checkpoints SET signature = $1 WHERE tree_size = $2', [sig.toString('base64'), kept.treeSize]);
    let log = await verifyMerkleLog(db.appPool, { trustedKeys: [signer.publicKeyPem] });
    expect(log.firstBrokenCheckpoint).toMatchObject({ treeSize: kept.treeSize, reason: 'bad_signature', source: 'database' });
    // Re-signing a rewritten leaf with the operator's own key does not help.
    await tamper(db, `UPDATE log_leaves SET leaf_hash = $1, event_hash = $2 WHERE leaf_index = 25`, [
      leafHash(Buffer.alloc(32, 7)),
      Buffer.alloc(32, 7).toString('hex'),
    ]);
    log = await verifyMerkleLog(db.appPool, { trustedKeys: [signer.publicKeyPem] });
    expect(log.breaks.filter((b) => b.kind === 'checkpoint').map((b) => [b.treeSize, b.reason])).toEqual([
      [20, 'bad_signature'],
      [26, 'root_mismatch'],
    ]);
    const mallory = ed25519Signer(generateKeyPairSync('ed25519').privateKey);
    const forged = signCheckpoint({ treeSize: 26, rootHash: latest.rootHash, timestamp: latest.timestamp }, mallory);
    log = await verifyMerkleLog(db.appPool, { trustedKeys: [signer.publicKeyPem], externalCheckpoints: [forged] });
    expect(log.breaks).toContainEqual(expect.objectContaining({ kind: 'checkpoint', treeSize: 26, source: 'external', reason: 'unknown_key' }));
  });

  it('a rolled-back log (events, leaves and checkpoints truncated) cannot answer the checkpoint the inspector kept', async () => {
    await tamper(db, `DELETE FROM log_checkpoints WHERE tree_size = 26`);
    await tamper(db, `DELETE FROM log_leaves WHERE leaf_index >= 20`);
    await tamper(db, `DELETE FROM events WHERE stream_id IN ('t-tail', 't-multi') OR (stream_id = 't-clean' AND version = 5)`);
    await expect(reader.consistencyProof(kept.treeSize, latest.treeSize)).rejects.toMatchObject({ code: 'CHECKPOINT_NOT_FOUND' });
    const log = await verifyMerkleLog(db.appPool, { trustedKeys: [signer.publicKeyPem], externalCheckpoints: [latest] });
    expect(log.treeSize).toBe(20);
    expect(log.breaks).toContainEqual(
      expect.objectContaining({ kind: 'checkpoint', treeSize: 26, source: 'external', reason: 'checkpoint_beyond_log' }),
    );
  });
});

describe('the sealer across restarts and side by side (real PostgreSQL)', () => {
  let db: TestDatabase;
  afterAll(async () => db?.drop());

  it('two sealers never seal an event twice, and a restarted one rebuilds its frontier from the leaves', async () => {
    db = await createTestDatabase();
    const store = new PostgresEventStore(db.appPool, clock);
    const signer = ed25519Signer(generateKeyPairSync('ed25519').privateKey);
    const a = new MerkleLogSealer(db.appPool, signer, clock, { batchSize: 5 });
    const b = new MerkleLogSealer(db.appPool, signer, clock, { batchSize: 3 });
    for (let i = 0; i < 6; i++) await store.append([{ streamId: `s-${i}`, expectedVersion: 0, events: [ev(1), ev(2), ev(3)] }]);
    await Promise.all([sealAll(db, a), sealAll(db, b)]);
    await store.append([{ streamId: 's-0', expectedVersion: 3, events: [ev(4)] }]);
    const restarted = new MerkleLogSealer(db.appPool, signer, clock);
    const r = await sealAll(db, restarted);
    expect(r).toMatchObject({ leavesAppended: 1, treeSize: 19 });
    const report = await verifyMerkleLog(db.appPool, { trustedKeys: [signer.publicKeyPem] });
    expect(report).toMatchObject({ ok: true, treeSize: 19, leavesChecked: 19 });
    expect(report.checkpointsChecked).toBeGreaterThanOrEqual(2);
    expect(report.latestCheckpoint).toMatchObject({ treeSize: 19 });
  });
});
