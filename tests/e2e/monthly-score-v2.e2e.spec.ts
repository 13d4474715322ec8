import { unitMetrics as metrics } from '@duban/domain/testing';
import { ApiHarness, startApi } from '../support/api-harness';
import { DEMO_CAMPAIGN as CAMPAIGN } from '../support/api-fixtures';
import { publishReport } from '../support/cadence-fixtures';
import { binary, open } from '../support/xlsx-reader';

/**
 * 月考评 v2 (举一反三 completeness, from 2027-01) over HTTP: a December published under v1 reads and exports exactly as
 * a v1 month always did; a January published under v2 shows each unit's completeness, and its XLSX the term.
 */
describe('月讲评 under formula v1 and v2 (over HTTP)', () => {
  let h: ApiHarness;
  const get = (userId: string, path: string) => h.http().get(path).set({ Authorization: `Bearer ${h.token(userId)}` });
  const provenance = (asOf: string) => ({ asOf, checkpoint: '1000:42' });
  const units = [
    metrics('town-01', '洺北街道', { activeFindings: 1, dueFindings: 1, closedOnTime: 1 }),
    metrics('town-02', '洺南街道', { activeFindings: 1, dueFindings: 2, closedOnTime: 1 }),
  ];

  beforeAll(async () => {
    h = await startApi('2027-01-04T01:00:00.000Z');
    await publishReport(h, {
      type: 'PublishMonthlyReview',
      data: { campaignId: CAMPAIGN, periodKey: '2026-12', provenance: provenance('2027-01-04T01:00:00.000Z'), content: { month: '2026-12', formulaVersion: 'v1', units } },
    });
    h.clock.set('2027-02-01T01:00:00.000Z');
    const january = [
      { ...units[0], selfChecksDue: 2, selfChecksAttestedOnTime: 1 },
      { ...units[1], selfChecksDue: 0, selfChecksAttestedOnTime: 0 },
    ];
    await publishReport(h, {
      type: 'PublishMonthlyReview',
      data: { campaignId: CAMPAIGN, periodKey: '2027-01', provenance: provenance('2027-02-01T01:00:00.000Z'), content: { month: '2027-01', formulaVersion: 'v2', units: january } },
    });
    await h.catchUp();
  });
  afterAll(async () => h.close());

  it('December (v1): the v1 formula and scores, no completeness anywhere', async () => {
    const c = (await get('sup-1', `/campaigns/${CAMPAIGN}/monthly-reviews/2026-12`)).body.content;
    expect(c).toMatchObject({ formulaVersion: 'v1', formula: { version: 'v1', onTimeClosureWeight: 60 } });
    expect(c.formula).not.toHaveProperty('selfCheckCompletenessWeight');
    expect(c.units.map((u: Record<string, unknown>) => [u.unitId, u.score, 'selfCheckCompleteness' in u])).toEqual([
      ['town-01', 100, false],
      ['town-02', 70, false],
    ]);
    const file = open((await get('sup-1', `/campaigns/${CAMPAIGN}/monthly-reviews/2026-12/export`).buffer(true).parse(binary)).body as Buffer);
    expect(file.sheets['月度讲评'].header).not.toContain('举一反三完成率');
  });

  it('January (v2): 50 × closure + 10 × completeness + 40, and the XLSX shows the term', async () => {
    const c = (await get('off-town-01-a', `/campaigns/${CAMPAIGN}/monthly-reviews/2027-01`)).body.content;
    expect(c).toMatchObject({ formulaVersion: 'v2', formula: { version: 'v2', selfCheckCompletenessWeight: 10, effectiveFrom: '2027-01' } });
    // town-01: 50 × 1 + 10 × 0.5 + 40 = 95; town-02: 50 × 0.5 + 10 × 1 (asked nothing) + 40 = 75.
    expect(c.units.map((u: Record<string, unknown>) => [u.unitId, u.selfCheckCompleteness, u.score])).toEqual([
      ['town-01', 0.5, 95],
      ['town-02', null, 75],
    ]);
    const file = open((await get('sup-1', `/campaigns/${CAMPAIGN}/monthly-reviews/2027-01/export`).buffer(true).parse(binary)).body as Buffer);
    const s = file.sheets['月度讲评'];
    expect(s.header).toEqual([
      '名次', '单位', '得分', '按期销号率', '到期问题', '按期销号', '逾期问题天数', '漏报进度', '回头看重新打开', '约谈', '问责',
      '举一反三完成率', '到期自查任务', '按期签字', '表扬/点名/备注',
    ]);
    expect(s.rows.slice(1).map((r) => r.slice(11, 14))).toEqual([
      [0.5, 2, 1],
      ['无到期自查任务（按 100% 计）', 0, 0],
    ]);
    const formula = new Map(file.sheets['考评公式'].rows.slice(1).map((r) => [String(r[0]), r[1]]));
    expect(formula.get('考评公式版本')).toBe('v2');
    expect(formula.get('举一反三完成率满分（× 按期签字的自查任务 / 到期自查任务）')).toBe(10);
  });
});
