import { generateKeyPairSync } from 'node:crypto';
import {
  ed25519Signer,
  fromHex,
  leafHash,
  MerkleLogSealer,
  registerLogSigningKey,
  verifyCheckpointSignature,
  verifyConsistency,
  verifyInclusion,
} from '@duban/event-store';
import { ApiHarness, startApi } from '../support/api-harness';

let keySeq = 0;
const key = () => `integrity-key-${++keySeq}-${Date.now()}`;
const finding = () => ({
  campaignId: 'campaign-2026-q4',
  source: 'household_inspection',
  categoryCode: '2.3',
  severity: 'red',
  townUnitId: 'town-01',
  village: '张庄村',
  household: '张某某',
  description: '脱贫户张某某住房为C级危房，未纳入改造',
  evidence: [],
});

describe('integrity API for discipline inspectors (real PostgreSQL, over HTTP)', () => {
  let h: ApiHarness;
  const signer = ed25519Signer(generateKeyPairSync('ed25519').privateKey);
  let sealer: MerkleLogSealer;
  const get = (userId: string | null, path: string) => {
    const r = h.http().get(path);
    return userId ? r.set('Authorization', `Bearer ${h.token(userId)}`) : r;
  };
  const record = async () => {
    const rec = await h.http().post('/findings').set('Authorization', `Bearer ${h.token('insp-1')}`).set('Idempotency-Key', key()).send(finding());
    expect(rec.status).toBe(201);
    const { rows } = await h.db.adminPool.query(`SELECT event_id::text AS id FROM events WHERE stream_id = $1 ORDER BY version`, [
      `finding-${rec.body.findingId}`,
    ]);
    return rows[0].id as string;
  };
  /** As the worker would: seal once everything committed is readable in commit order. */
  const seal = async () => {
    for (let i = 0; i < 1500; i++) {
      const { rows } = await h.db.adminPool.query(
        `SELECT bool_and(transaction_id < pg_snapshot_xmin(pg_current_snapshot())) AS ok FROM events`,
      );
      if (rows[0].ok) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    return (await sealer.catchUp()).checkpoint!;
  };
  let firstEvent: string;
  let first: { treeSize: number };
  let second: { treeSize: number };

  beforeAll(async () => {
    h = await startApi('2026-11-23T02:00:00.000Z');
    sealer = new MerkleLogSealer(h.db.appPool, signer, h.clock);
    // As the worker does at start, through the owner's connection.
    await registerLogSigningKey(h.db.adminPool, signer);
    firstEvent = await record();
    first = await seal();
    h.clock.set('2026-11-23T03:00:00.000Z');
    await record();
    second = await seal();
  });
  afterAll(async () => h.close());

  it.each(['jw-1', 'admin-1', 'sup-1'])('lets %s read every integrity endpoint', async (user) => {
    const chains = await get(user, '/integrity/chains');
    expect(chains.status).toBe(200);
    expect(chains.body).toMatchObject({ ok: true, breaks: [] });
    expect((await get(user, '/integrity/log')).body).toMatchObject({ ok: true, treeSize: second.treeSize, keysSource: 'database' });
    const list = await get(user, '/integrity/checkpoints');
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { treeSize: number }) => c.treeSize)).toEqual([second.treeSize, first.treeSize]);
    const latest = await get(user, '/integrity/checkpoints/latest');
    expect(latest.body).toMatchObject({ treeSize: second.treeSize, keyId: signer.keyId, signatureAlgorithm: 'Ed25519' });
    expect(latest.body.signedText).toBe(`duban-log-v1\n${second.treeSize}\n${latest.body.rootHash}\n${latest.body.timestamp}`);
    const pk = await get(user, '/integrity/public-key');
    expect(pk.body).toMatchObject({ keyId: signer.keyId, publicKeyPem: signer.publicKeyPem, algorithm: 'Ed25519' });
    expect(verifyCheckpointSignature(latest.body, pk.body.publicKeyPem)).toBe(true);
  });

  it.each([
    ['insp-1', '督查组成员'],
    ['off-town-01-a', '乡镇/部门'],
  ])('refuses %s (%s) with ROLE_REQUIRED, and anyone without a token with 401', async (user) => {
    for (const path of ['/integrity/chains', '/integrity/checkpoints/latest', `/integrity/proofs/inclusion?eventId=${firstEvent}`]) {
      const r = await get(user, path);
      expect(r.status).toBe(403);
      expect(r.body).toMatchObject({ code: 'ROLE_REQUIRED', rule: 'ROLE_REQUIRED' });
      expect(r.body.message).toMatch(/纪委监委.*\(ROLE_REQUIRED\)$/);
    }
    expect((await get(null, '/integrity/chains')).status).toBe(401);
  });

  it('gives an inclusion proof that verifies against the signed root, for the latest or a named checkpoint', async () => {
    for (const [query, size] of [
      [`eventId=${firstEvent}`, second.treeSize],
      [`eventId=${firstEvent.toUpperCase()}&treeSize=${first.treeSize}`, first.treeSize],
    ] as const) {
      const r = await get('jw-1', `/integrity/proofs/inclusion?${query}`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ eventId: firstEvent, treeSize: size, checkpoint: { treeSize: size } });
      expect(r.body.rootHash).toBe(r.body.checkpoint.rootHash);
      expect(leafHash(fromHex(r.body.eventHash)).toString('hex')).toBe(r.body.leafHash);
      expect(verifyInclusion(fromHex(r.body.leafHash), r.body.leafIndex, size, r.body.auditPath.map(fromHex), fromHex(r.body.rootHash))).toBe(true);
      expect(verifyCheckpointSignature(r.body.checkpoint, signer.publicKeyPem)).toBe(true);
    }
  });

  it('gives a consistency proof between two checkpoints that verifies', async () => {
    const r = await get('jw-1', `/integrity/proofs/consistency?from=${first.treeSize}&to=${second.treeSize}`);
    expect(r.status).toBe(200);
    const { from, to, proof } = r.body;
    expect(verifyConsistency(from.treeSize, to.treeSize, fromHex(from.rootHash), fromHex(to.rootHash), proof.map(fromHex))).toBe(true);
    const same = await get('jw-1', `/integrity/proofs/consistency?from=${second.treeSize}&to=${second.treeSize}`);
    expect(same.body.proof).toEqual([]);
  });

  it.each([
    ['/integrity/proofs/inclusion', 'eventId'],
    ['/integrity/proofs/inclusion?eventId=abc', 'eventId'],
    ['/integrity/proofs/inclusion?eventId=EVENT&treeSize=0', 'treeSize'],
    ['/integrity/proofs/inclusion?eventId=EVENT&treeSize=1.5', 'treeSize'],
    ['/integrity/proofs/consistency?from=x&to=3', 'from'],
    ['/integrity/proofs/consistency?from=1', 'to'],
    ['/integrity/proofs/consistency?from=5&to=2', 'from'],
    ['/integrity/checkpoints?limit=0', 'limit'],
    ['/integrity/proofs/inclusion?eventId=EVENT&extra=1', 'extra'],
  ])('answers 400 naming the field for %s', async (path, field) => {
    const r = await get('jw-1', path.replace('EVENT', firstEvent));
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ statusCode: 400, field });
    expect(r.body.message).toMatch(new RegExp(`^字段 ${field} 无效：.*\\((VALIDATION_FAILED|INVALID_RANGE)\\)$`));
  });

  it('answers 404 for an event not in the log or a tree size that was never signed', async () => {
    const unknown = await get('jw-1', '/integrity/proofs/inclusion?eventId=00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'EVENT_NOT_IN_LOG' });
    const size = await get('jw-1', `/integrity/proofs/consistency?from=${first.treeSize}&to=${second.treeSize + 5}`);
    expect(size.status).toBe(404);
    expect(size.body).toMatchObject({ code: 'CHECKPOINT_NOT_FOUND' });
    expect(size.body.message).toMatch(/\(CHECKPOINT_NOT_FOUND\)$/);
  });
});
