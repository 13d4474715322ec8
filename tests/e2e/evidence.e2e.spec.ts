import { createHash } from 'node:crypto';
import { ApiHarness, startApi } from '../support/api-harness';
import { findingBody, idempotencyKeys, pngBytes, uploadEvidence } from '../support/api-fixtures';

const key = idempotencyKeys('evidence');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('evidence files over HTTP (real PostgreSQL, local store)', () => {
  let h: ApiHarness;
  const as = (userId: string) => ({ Authorization: `Bearer ${h.token(userId)}` });
  const post = (userId: string, path: string, body: object) => h.http().post(path).set(as(userId)).set('Idempotency-Key', key()).send(body);
  const upload = (userId: string, bytes: Buffer, filename: string, contentType: string) =>
    h.http().post('/evidence').set(as(userId)).attach('file', bytes, { filename, contentType });
  const get = (userId: string, path: string) =>
    h
      .http()
      .get(path)
      .set(as(userId))
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });

  beforeAll(async () => {
    h = await startApi('2026-11-23T02:00:00.000Z', { evidence: { maxBytes: 64 * 1024 } });
  });
  afterAll(async () => h.close());

  it('stores an image by its SHA-256 with a thumbnail, and the same bytes twice only once', async () => {
    const bytes = await pngBytes(4242, 640);
    const first = await upload('insp-1', bytes, '危房现场照片.png', 'image/png');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ sha256: sha(bytes), name: '危房现场照片.png', type: 'image/png', size: bytes.length });
    expect(first.body.thumbnailSha256).toMatch(/^[0-9a-f]{64}$/);

    const again = await upload('insp-2', bytes, '同一张.png', 'image/png');
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ sha256: first.body.sha256, name: '同一张.png', thumbnailSha256: first.body.thumbnailSha256 });
    const stored = await h.db.adminPool.query('SELECT count(*)::int AS n FROM evidence_files WHERE sha256 = $1', [first.body.sha256]);
    const uploads = await h.db.adminPool.query('SELECT uploaded_by FROM evidence_uploads WHERE sha256 = $1 ORDER BY upload_id', [first.body.sha256]);
    expect(stored.rows[0].n).toBe(1);
    expect(uploads.rows.map((r) => r.uploaded_by)).toEqual(['insp-1', 'insp-2']);

    const thumb = await get('insp-1', `/evidence/${first.body.sha256}/thumbnail`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/jpeg');
    expect(thumb.headers.etag).toBe(`"${first.body.thumbnailSha256}"`);
    expect(sha(thumb.body)).toBe(first.body.thumbnailSha256);
    expect(thumb.body.length).toBeLessThan(bytes.length);
  });

  it('refuses a file over the size limit, a type outside the list, and bytes that contradict the declared type', async () => {
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(64 * 1024)]);
    const tooLarge = await upload('insp-1', big, '大文件.pdf', 'application/pdf');
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.body).toMatchObject({ code: 'EVIDENCE_TOO_LARGE', field: 'file' });

    const exe = await upload('insp-1', Buffer.from('MZ\x90\x00 not a photo'), 'photo.jpg', 'image/jpeg');
    expect(exe.status).toBe(400);
    expect(exe.body).toMatchObject({ code: 'EVIDENCE_TYPE_NOT_ALLOWED', field: 'file' });

    const pdfAsPng = await upload('insp-1', Buffer.from('%PDF-1.4\n%%EOF\n'), 'x.png', 'image/png');
    expect(pdfAsPng.status).toBe(400);
    expect(pdfAsPng.body).toMatchObject({ code: 'EVIDENCE_TYPE_MISMATCH', field: 'file' });

    const none = await h.http().post('/evidence').set(as('insp-1')).field('other', 'x');
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({ field: 'file' });

    const readOnly = await upload('jw-1', await pngBytes(), 'a.png', 'image/png');
    expect(readOnly.status).toBe(403);
    const count = await h.db.adminPool.query('SELECT count(*)::int AS n FROM evidence_uploads WHERE uploaded_by = $1', ['jw-1']);
    expect(count.rows[0].n).toBe(0);
  });

  it('accepts a PDF (no thumbnail) and serves it with its UTF-8 name', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n');
    const res = await upload('insp-1', pdf, '鉴定报告.pdf', 'application/pdf');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ sha256: sha(pdf), name: '鉴定报告.pdf', type: 'application/pdf', size: pdf.length });
    const file = await get('insp-1', `/evidence/${res.body.sha256}`);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('鉴定报告.pdf')}`);
    expect(file.headers.etag).toBe(`"${res.body.sha256}"`);
    expect(Buffer.compare(file.body, pdf)).toBe(0);
    const cached = await h.http().get(`/evidence/${res.body.sha256}`).set(as('insp-1')).set('If-None-Match', `"${res.body.sha256}"`);
    expect(cached.status).toBe(304);
    expect((await get('insp-1', `/evidence/${res.body.sha256}/thumbnail`)).status).toBe(404);
  });

  it('attaches uploads to a finding by hash; the event records hash, name, type and size; downloads follow the finding read rule', async () => {
    const photo = await pngBytes(777, 32);
    const hash = await uploadEvidence(h, 'insp-1', '张庄村危房.png', photo);

    // Before it is attached, only its uploader may read it; to anyone else it does not exist.
    expect((await get('insp-1', `/evidence/${hash}`)).status).toBe(200);
    expect((await get('sup-1', `/evidence/${hash}`)).status).toBe(404);

    const rec = await post('insp-1', '/findings', findingBody({ evidence: [hash] }));
    expect(rec.status).toBe(201);
    const id = rec.body.findingId;
    const { rows } = await h.db.adminPool.query(`SELECT data FROM events WHERE stream_id = $1 AND type = 'FindingRecorded'`, [`finding-${id}`]);
    const data = JSON.parse(rows[0].data);
    expect(data.evidence).toEqual([hash]);
    expect(data.evidenceFiles).toEqual([{ sha256: hash, name: '张庄村危房.png', type: 'image/png', size: photo.length }]);
    expect(rows[0].data).not.toContain(photo.toString('base64').slice(0, 40));

    expect((await post('sup-1', `/findings/${id}/dispatch`, { unitId: 'town-01' })).status).toBe(200);
    await h.catchUp();

    for (const allowed of ['insp-1', 'sup-1', 'jw-1', 'off-town-01-a']) {
      const res = await get(allowed, `/evidence/${hash}`);
      expect({ allowed, status: res.status }).toEqual({ allowed, status: 200 });
      expect(sha(res.body)).toBe(hash);
    }
    const otherTown = await get('off-town-02-a', `/evidence/${hash}`);
    expect(otherTown.status).toBe(403);
    expect(JSON.parse(otherTown.body.toString('utf8'))).toMatchObject({ statusCode: 403, rule: 'UNIT_SCOPE' });
    expect((await get('off-town-02-a', `/evidence/${hash}/thumbnail`)).status).toBe(403);

    // The owner reports progress with a photo of their own: readable by the unit and the county, not another town.
    expect((await post('off-town-01-a', `/findings/${id}/claim`, {})).status).toBe(200);
    const progressPhoto = await uploadEvidence(h, 'off-town-01-a', '施工中.png');
    expect((await post('off-town-01-a', `/findings/${id}/progress`, { summary: '已开工', evidence: [progressPhoto] })).status).toBe(200);
    await h.catchUp();
    expect((await get('sup-2', `/evidence/${progressPhoto}`)).status).toBe(200);
    expect((await get('off-town-02-a', `/evidence/${progressPhoto}`)).status).toBe(403);
  });

  it('refuses a command that references an unknown hash, naming the field, and appends nothing', async () => {
    const known = await uploadEvidence(h, 'insp-1');
    const before = await h.eventCount();
    const unknown = 'a'.repeat(64);
    const res = await post('insp-1', '/findings', findingBody({ evidence: [known, unknown] }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'UNKNOWN_EVIDENCE', field: 'evidence[1]' });
    expect(res.body.message).toContain(unknown);
    const notAHash = await post('insp-1', '/findings', findingBody({ evidence: ['photo-001'] }));
    expect(notAHash.status).toBe(400);
    expect(notAHash.body).toMatchObject({ code: 'UNKNOWN_EVIDENCE', field: 'evidence[0]' });
    expect(await h.eventCount()).toBe(before);
  });

  it('answers a malformed hash with 400 and an unknown one with 404', async () => {
    const bad = await h.http().get('/evidence/not-a-hash').set(as('sup-1'));
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ field: 'sha256' });
    expect((await h.http().get(`/evidence/${'b'.repeat(64)}`).set(as('sup-1'))).status).toBe(404);
    expect((await h.http().get(`/evidence/${'b'.repeat(64)}`)).status).toBe(401);
  });
});
