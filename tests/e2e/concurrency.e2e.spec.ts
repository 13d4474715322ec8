import { ApiHarness, startApi } from '../support/api-harness';
import { DEMO_CAMPAIGN, findingBody, idempotencyKeys } from '../support/api-fixtures';

const key = idempotencyKeys('race');

/**
 * Contention is not an error: commands that race decide again on fresh state, a campaign's dispatches queue for
 * their gapless notice numbers, and only a client that named a version it expected hears about a conflict.
 */
describe('concurrent commands (real PostgreSQL, over HTTP)', () => {
  let h: ApiHarness;
  const post = (userId: string, path: string, body: object, idem = key()) =>
    h.http().post(path).set({ Authorization: `Bearer ${h.token(userId)}` }).set('Idempotency-Key', idem).send(body);
  const record = async (n: number): Promise<string[]> => {
    const ids: string[] = [];
    // Recorded one after another: the race under test is the dispatch, not the recording.
    for (let i = 0; i < n; i++) ids.push((await post('insp-1', '/findings', findingBody({ household: `户${i}` }))).body.findingId);
    return ids;
  };
  const noticeSequences = async (): Promise<number[]> => {
    const { rows } = await h.db.adminPool.query(
      `SELECT (data::jsonb->>'sequence')::int AS n FROM events WHERE stream_id = $1 AND type = 'DispatchNoticeIssued' ORDER BY version`,
      [`campaign-${DEMO_CAMPAIGN}`],
    );
    return rows.map((r) => r.n);
  };

  beforeAll(async () => {
    h = await startApi();
  });
  afterAll(async () => h.close());

  it('50 dispatches of different findings at once all succeed, under gapless notice numbers', async () => {
    const ids = await record(50);
    const before = await noticeSequences();
    const results = await Promise.all(ids.map((id, i) => post(i % 2 ? 'sup-1' : 'sup-2', `/findings/${id}/dispatch`, { unitId: 'town-01' })));
    expect(results.map((r) => r.status)).toEqual(ids.map(() => 200));
    const after = await noticeSequences();
    expect(after.length - before.length).toBe(50);
    expect(after).toEqual(after.map((_, i) => i + 1));
    expect(new Set(results.map((r) => r.body.noticeNo)).size).toBe(50);
  });

  it('single and batch dispatches racing each other share one gapless numbering', async () => {
    const ids = await record(12);
    const batches = [ids.slice(0, 4), ids.slice(4, 8)].map((findingIds) => post('sup-1', '/dispatch-notices', { findingIds, unitId: 'town-01' }));
    const singles = ids.slice(8).map((id) => post('sup-2', `/findings/${id}/dispatch`, { unitId: 'town-01' }));
    const results = await Promise.all([...batches, ...singles]);
    expect(results.map((r) => r.status < 300)).toEqual(results.map(() => true));
    const sequences = await noticeSequences();
    expect(sequences).toEqual(sequences.map((_, i) => i + 1));
  });

  it('50 progress reports on one finding without expectedVersion are all decided and kept, none refused', async () => {
    const [id] = await record(1);
    expect((await post('sup-1', `/findings/${id}/dispatch`, { unitId: 'town-01' })).status).toBe(200);
    expect((await post('off-town-01-a', `/findings/${id}/claim`, {})).status).toBe(200);
    const reports = await Promise.all(
      Array.from({ length: 50 }, (_, i) => post('off-town-01-a', `/findings/${id}/progress`, { summary: `第${i + 1}次进展`, evidence: [] })),
    );
    expect(reports.map((r) => r.status)).toEqual(reports.map(() => 200));
    const versions = reports.map((r) => r.body.version as number).sort((a, b) => a - b);
    expect(versions).toEqual(versions.map((_, i) => 4 + i));
  });

  it('a client that names the version it expects gets a 409 when it lost, and nothing of it is appended', async () => {
    const [id] = await record(1);
    expect((await post('sup-1', `/findings/${id}/dispatch`, { unitId: 'town-01' })).status).toBe(200);
    expect((await post('off-town-01-a', `/findings/${id}/claim`, {})).status).toBe(200);
    const before = await h.eventCount();
    const racing = await Promise.all(
      Array.from({ length: 10 }, (_, i) => post('off-town-01-a', `/findings/${id}/progress`, { summary: `并发${i}`, evidence: [], expectedVersion: 3 })),
    );
    const statuses = racing.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array(9).fill(409)]);
    for (const r of racing.filter((x) => x.status === 409)) expect(r.body).toMatchObject({ code: 'VERSION_CONFLICT' });
    expect(await h.eventCount()).toBe(before + 1);
  });

  it('the same command sent ten times at once is appended once, and every reply is the first result', async () => {
    const [id] = await record(1);
    const idem = key();
    const before = await h.eventCount();
    const replies = await Promise.all(Array.from({ length: 10 }, () => post('sup-1', `/findings/${id}/dispatch`, { unitId: 'town-01' }, idem)));
    expect(replies.map((r) => r.status)).toEqual(replies.map(() => 200));
    expect(new Set(replies.map((r) => JSON.stringify(r.body))).size).toBe(1);
    // The finding's FindingDispatched and the campaign's DispatchNoticeIssued, once.
    expect(await h.eventCount()).toBe(before + 2);
  });
});
