import * as ExcelJS from 'exceljs';
import { dailyBulletin, monthlyMetrics } from '@duban/read-models';
import { ApiHarness, startApi } from '../support/api-harness';
import { DEMO_CAMPAIGN, idempotencyKeys } from '../support/api-fixtures';
import {
  bigFindingList,
  type BigList,
  declaredBomb,
  entryBomb,
  FINDING_LIST_HEADERS,
  findingListXlsx,
  handMadeZip,
  type ListCell,
  lyingBomb,
  utcDate,
} from '../support/finding-list-files';

const key = idempotencyKeys('import');
const BASE = `/campaigns/${DEMO_CAMPAIGN}/finding-imports`;

/** 导入问题清单 over HTTP on a real PostgreSQL: dry run, report, commit, the same file again, and every bad file. */
describe('importing a county’s existing 问题清单', () => {
  let h: ApiHarness;
  let big: BigList;
  const as = (userId: string) => ({ Authorization: `Bearer ${h.token(userId)}` });
  const upload = (userId: string, path: string, file: Buffer, fields: Record<string, string> = {}, idem?: string) => {
    let r = h.http().post(`${BASE}${path}`).set(as(userId));
    if (idem) r = r.set('Idempotency-Key', idem);
    for (const [k, v] of Object.entries(fields)) r = r.field(k, v);
    return r.attach('file', file, { filename: '问题清单.xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  };

  beforeAll(async () => {
    h = await startApi('2026-11-23T02:00:00.000Z');
    big = await bigFindingList(2000);
  });
  afterAll(async () => h.close());

  it('dry run, report, commit with choices, replay, and the same file again adding nothing', async () => {
    const before = await h.eventCount();
    const dry = await upload('sup-1', '/dry-run', big.buffer);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ sheet: '问题清单', headerRow: 2, counts: { ok: 1940, needs_choice: 20, refused: 40, already_imported: 0, open: 1760, closed: 180 } });
    expect(await h.eventCount()).toBe(before);
    const byRow = new Map<number, { verdict: string; kind: string | null; problems: Array<{ column: string; code: string; suggestions: Array<{ value: string }> }> }>(
      dry.body.rows.map((r: { row: number }) => [r.row, r]),
    );
    for (const n of big.expected.misspelt) {
      expect(byRow.get(n)).toMatchObject({ verdict: 'needs_choice', problems: [{ column: '乡镇', code: 'UNKNOWN_TOWN', suggestions: [{ value: 'town-04' }] }] });
    }
    for (const n of big.expected.duplicates) expect(byRow.get(n)).toMatchObject({ verdict: 'refused', problems: [{ code: 'DUPLICATE_ROW' }] });
    expect(big.expected.bad.map((n) => byRow.get(n)!.problems[0].code)).toEqual(
      expect.arrayContaining(['EMPTY_CELL', 'UNKNOWN_CATEGORY', 'UNKNOWN_SOURCE', 'UNKNOWN_TOWN', 'MISSING_CLOSING_DATE']),
    );
    for (const n of big.expected.closed) expect(byRow.get(n)).toMatchObject({ verdict: 'ok', kind: 'closed' });

    const report = await upload('sup-1', '/dry-run/report.xlsx', big.buffer).buffer(true).parse(binary);
    expect(report.status).toBe(200);
    expect(report.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(report.body);
    const sheet = wb.getWorksheet('导入预检')!;
    expect(sheet.getRow(1).values).toEqual(expect.arrayContaining(['行号', ...FINDING_LIST_HEADERS, '导入结论', '说明']));
    expect(sheet.rowCount).toBe(2001);
    const misspelt = sheet.getRow(big.expected.misspelt[0] - 1);
    expect(misspelt.getCell(1).value).toBe(big.expected.misspelt[0]);
    expect(misspelt.getCell(FINDING_LIST_HEADERS.length + 2).value).toBe('需选择');
    expect(String(misspelt.getCell(FINDING_LIST_HEADERS.length + 3).value)).toContain('宁平镇');

    // Half of the misspelt towns are chosen; the rest stay out, with the refused rows.
    const chosen = big.expected.misspelt.slice(0, 10);
    const choices = JSON.stringify(Object.fromEntries(chosen.map((n) => [n, { townUnitId: 'town-04' }])));
    const idem = key();
    const commit = await upload('sup-1', '', big.buffer, { choices }, idem);
    expect(commit.status).toBe(200);
    expect(commit.body.imported).toHaveLength(1950);
    expect(commit.body.imported.filter((r: { kind: string }) => r.kind === 'closed')).toHaveLength(180);
    expect(commit.body.alreadyImported).toEqual([]);
    expect(commit.body.notImported).toHaveLength(50);
    expect(await h.eventCount()).toBe(before + 1950);

    const replay = await upload('sup-1', '', big.buffer, { choices }, idem);
    expect(replay.body).toEqual(commit.body);
    const again = await upload('sup-1', '', big.buffer, { choices }, key());
    expect(again.status).toBe(200);
    expect(again.body.imported).toEqual([]);
    expect(again.body.alreadyImported).toHaveLength(1950);
    expect(await h.eventCount()).toBe(before + 1950);
    const dryAgain = await upload('sup-1', '/dry-run', big.buffer);
    expect(dryAgain.body.counts).toMatchObject({ ok: 0, already_imported: 1940 });

    // The rest of the misspelt rows, chosen in a second commit of the same file, come in on their own.
    const rest = JSON.stringify(Object.fromEntries(big.expected.misspelt.map((n) => [n, { townUnitId: 'town-04' }])));
    const more = await upload('sup-1', '', big.buffer, { choices: rest }, key());
    expect(more.body.imported).toHaveLength(10);
    expect(await h.eventCount()).toBe(before + 1960);
  });

  it('closed rows come in as history: closed on the sheet’s date, marked imported, nobody named as owner or verifier', async () => {
    await h.catchUp();
    const list = await h.http().get('/findings').query({ campaignId: DEMO_CAMPAIGN, state: 'Closed', pageSize: 200 }).set(as('sup-1'));
    const closed = list.body.items.filter((f: { importedFrom: unknown }) => f.importedFrom);
    expect(closed).toHaveLength(180);
    const f = closed.find((x: { importedFrom: { row: number } }) => x.importedFrom.row === big.expected.closed[2]);
    expect(f).toMatchObject({ state: 'Closed', owner: null, verifiedBy: null, rectificationSignedBy: null, claimedBy: null, recordedBy: { id: 'sup-1' } });
    expect(f.closedAt).toBe('2026-09-17T16:00:00.000Z');
    expect(f.importedFrom.sha256).toMatch(/^[0-9a-f]{64}$/);
    const trail = await h.http().get(`/findings/${f.findingId}/audit-trail`).set(as('jw-1'));
    expect(JSON.stringify(trail.body)).toContain('从问题清单导入已销号问题');
    const rectification = await h.http().get(`/findings/${f.findingId}/rectification`).set(as('sup-1'));
    expect(rectification.status).toBe(200);
    expect(rectification.body).toMatchObject({ findingId: f.findingId, owner: null, plan: null, submissionSignedBy: null, evidence: [], progress: [] });

    // History is nobody's work in any report: not 'new' on the day of the import, not closed on the sheet's day, not
    // due or overdue in the month of the sheet's deadline (2026-12-31) for the unit the sheet names.
    const now = '2026-11-23T02:00:00.000Z';
    const importDay = await dailyBulletin(h.db.appPool, DEMO_CAMPAIGN, '2026-11-23', now);
    expect(importDay.value.items.filter((i) => i.kind === 'new')).toEqual([]);
    const closingDay = await dailyBulletin(h.db.appPool, DEMO_CAMPAIGN, '2026-09-18', now);
    expect(closingDay.value.items.filter((i) => i.kind === 'closed')).toEqual([]);
    const december = await monthlyMetrics(h.db.appPool, DEMO_CAMPAIGN, '2026-12', now);
    expect(december.value.filter((u) => u.dueFindings > 0 || u.overdueFindingDays > 0)).toEqual([]);

    const open = await h.http().get('/findings').query({ campaignId: DEMO_CAMPAIGN, state: 'Recorded', pageSize: 5 }).set(as('sup-1'));
    expect(open.body.items[0]).toMatchObject({ state: 'Recorded', importedFrom: { row: expect.any(Number) } });
  });

  it('two people committing the same file at once: one imports every row, the other finds them all imported', async () => {
    const rows: ListCell[][] = Array.from({ length: 50 }, (_, i) => [i + 1, '暗访', '胡集', '李庄村', `并发导入 ${i}`, '3.2', null, null, null, null]);
    const file = await findingListXlsx(rows);
    const before = await h.eventCount();
    const [a, b] = await Promise.all([upload('sup-1', '', file, {}, key()), upload('admin-1', '', file, {}, key())]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.body.imported.length, b.body.imported.length].sort()).toEqual([0, 50]);
    expect([a.body.alreadyImported.length, b.body.alreadyImported.length].sort()).toEqual([0, 50]);
    expect(await h.eventCount()).toBe(before + 50);
  });

  it('only a supervisor or administrator of the county office imports', async () => {
    const small = await findingListXlsx([[1, '入户排查', '宁平镇', '前进村', '角色测试', '2.3', null, null, null, null]]);
    expect((await upload('admin-1', '/dry-run', small)).status).toBe(200);
    const refusals = [
      ['insp-1', 'ROLE_REQUIRED'],
      ['off-town-01-a', 'ROLE_REQUIRED'],
      ['jw-1', 'READ_ONLY_ROLE'],
    ];
    for (const [user, rule] of refusals) {
      const before = await h.eventCount();
      expect((await upload(user, '/dry-run', small)).body).toMatchObject({ statusCode: 403, rule });
      expect((await upload(user, '', small, {}, key())).body).toMatchObject({ statusCode: 403, rule });
      expect(await h.eventCount()).toBe(before);
    }
    expect((await h.http().post(`/campaigns/no-such-campaign/finding-imports/dry-run`).set(as('sup-1')).attach('file', small, 'x.xlsx')).status).toBe(404);
  });

  describe('bad files: a 400 naming the sheet, row and column, and nothing written', () => {
    const row = (over: Record<number, ListCell> = {}): ListCell[] => {
      const r: ListCell[] = [1, '入户排查', '宁平镇', '前进村', '危房未改造', '2.3', '县住建局', utcDate('2026-12-31'), '整改中', null];
      for (const [i, v] of Object.entries(over)) r[Number(i)] = v;
      return r;
    };
    const cases: Array<[string, () => Promise<Buffer>, Record<string, unknown>]> = [
      ['a missing column', () => findingListXlsx([row()], { headers: FINDING_LIST_HEADERS.map((x) => (x === '问题类别' ? '' : x)) }), { code: 'MISSING_COLUMNS', sheet: '问题清单', row: 1, column: '问题类别' }],
      ['a wrong column', () => findingListXlsx([row()], { headers: FINDING_LIST_HEADERS.map((x) => (x === '整改情况' ? '整改情况说明书' : x)) }), { code: 'UNKNOWN_COLUMN', sheet: '问题清单', row: 1, column: 'I（整改情况说明书）' }],
      ['merged cells', () => findingListXlsx([row(), row({ 4: '另一问题' }), row({ 4: '第三问题' })], { merges: ['C3:C4'] }), { code: 'MERGED_CELLS', sheet: '问题清单', row: 3, column: 'C（乡镇）' }],
      ['text in a date column', () => findingListXlsx([row(), row({ 7: '尽快' })]), { code: 'TEXT_IN_DATE_COLUMN', sheet: '问题清单', row: 3, column: 'H（整改时限）' }],
      ['an impossible date', () => findingListXlsx([row({ 9: '2026-02-30', 8: '已销号' })]), { code: 'IMPOSSIBLE_DATE', sheet: '问题清单', row: 2, column: 'J（销号时间）' }],
      ['an empty sheet', async () => Buffer.from(await emptyWorkbook()), { code: 'EMPTY_SHEET', sheet: '问题清单' }],
      ['headers and no rows', () => findingListXlsx([]), { code: 'EMPTY_SHEET', sheet: '问题清单', row: 2 }],
      ['a file that is not XLSX', async () => Buffer.from('序号,问题来源,乡镇\n1,入户排查,宁平镇\n'), { code: 'NOT_XLSX' }],
      ['a zip that is not a workbook', async () => handMadeZip([{ name: 'word/document.xml', data: Buffer.from('<w/>') }]), { code: 'NOT_XLSX' }],
      ['a file over the size limit', async () => Buffer.alloc(5 * 1024 * 1024 + 1, 0x50), { code: 'FILE_TOO_LARGE' }],
      ['a zip bomb declaring 3 GB', async () => declaredBomb(), { code: 'ZIP_BOMB' }],
      ['a zip bomb lying about its size', async () => lyingBomb(), { code: 'ZIP_BOMB' }],
      ['a zip bomb of 10,000 entries', async () => entryBomb(), { code: 'ZIP_BOMB' }],
    ];
    it.each(cases)('%s', async (_what, file, expected) => {
      const buffer = await file();
      const before = await h.eventCount();
      for (const path of ['/dry-run', '']) {
        const res = await upload('sup-1', path, buffer, {}, path ? undefined : key());
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ statusCode: 400, field: 'file', ...expected });
        expect(res.body.message).toMatch(/\([A-Z_]+\)$/);
      }
      expect(await h.eventCount()).toBe(before);
    });

    it('no file, or bad choices, is a 400 naming the field', async () => {
      const res = await h.http().post(`${BASE}/dry-run`).set(as('sup-1')).send({ file: 'x' });
      expect(res.body).toMatchObject({ statusCode: 400, code: 'FILE_REQUIRED', field: 'file' });
      const small = await findingListXlsx([row()]);
      for (const choices of ['{', '[]', '{"x":{}}', '{"3":{"townUnitId":5}}', '{"3":{"owner":"u"}}']) {
        expect((await upload('sup-1', '/dry-run', small, { choices })).body).toMatchObject({ statusCode: 400, field: 'choices' });
      }
    });
  });
});

async function emptyWorkbook(): Promise<ArrayBuffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('问题清单');
  return wb.xlsx.writeBuffer();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function binary(res: any, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}
