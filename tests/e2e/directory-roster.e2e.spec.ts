import * as ExcelJS from 'exceljs';
import { ApiHarness, startApi } from '../support/api-harness';
import { idempotencyKeys } from '../support/api-fixtures';
import { open } from '../support/xlsx-reader';

const key = idempotencyKeys('roster');

type Cells = Array<Array<string | number | null>>;

/** A roster workbook as a county would fill the template in: 单位 and 人员, headers first. */
async function workbook(sheets: Record<string, Cells>, edit?: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  edit?.(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const UNIT_HEADER = ['单位名称*', '单位类型*', '上级单位', '统计用区划代码', '单位编号'];
const PERSON_HEADER = ['姓名*', '手机号*', '职务', '所在单位*', '角色*', '是否组长', '人员编号'];

const ROSTER = {
  单位: [
    UNIT_HEADER,
    ['东关村', '村', '城关镇', '411625100201', null], // row 2: its town is further down
    ['城关镇', '乡镇', null, '411625100000', null], // row 3
    ['县教体局', '县直部门', null, null, null], // row 4: the demo county has it already
    ['第九督查组', '督查组', '县巩固办', null, 'team-9'], // row 5
    ['西关社区', '社区', '县教体局', null, null], // row 6: a community under a department
  ],
  人员: [
    PERSON_HEADER,
    ['刘村官', '138 0000 1001', '村支书', '东关村', '乡镇/部门责任人', null, null], // row 2
    ['陈组长', '13800001002', '第九督查组组长', 'team-9', '督查组成员', '是', null], // row 3
    ['错号码', '1380000', '干部', '城关镇', '乡镇/部门责任人', null, null], // row 4: bad phone
    ['无单位', '13800001004', '干部', '不存在的镇', '乡镇/部门责任人', null, null], // row 5
    ['错角色', '13800001005', '干部', '城关镇', '纪委监委', null, null], // row 6: role the town cannot hold
    ['重号', '13800001002', '干部', '城关镇', '乡镇/部门责任人', null, null], // row 7: phone of row 3
    ['西关人', '13800001007', '干部', '西关社区', '乡镇/部门责任人', null, null], // row 8: its unit was refused
  ],
};

describe('roster import from Excel: template, dry run, commit, same file again, bad files (real PostgreSQL, over HTTP)', () => {
  let h: ApiHarness;
  const as = (userId: string) => ({ Authorization: `Bearer ${h.token(userId)}` });
  const upload = (path: string, buf: Buffer | null, userId = 'admin-1', idem: string | null = key()) => {
    const r = h.http().post(path).set(as(userId));
    if (idem) r.set('Idempotency-Key', idem);
    return buf ? r.attach('file', buf, '郸城县名册.xlsx') : r.field('note', 'no file');
  };
  const dryRun = (buf: Buffer | null, userId = 'admin-1') => upload('/directory/roster-imports/dry-run', buf, userId, null);
  const commit = (buf: Buffer | null, idem: string = key()) => upload('/directory/roster-imports', buf, 'admin-1', idem);
  let roster: Buffer;

  beforeAll(async () => {
    h = await startApi('2026-11-23T02:00:00.000Z');
    roster = await workbook(ROSTER);
  });
  afterAll(async () => h.close());

  it('gives administrators the template: 单位 and 人员 with Chinese headers, and how to fill them in', async () => {
    const res = await h.http().get('/directory/roster-imports/template').set(as('admin-1')).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = open(res.body as Buffer);
    expect(Object.keys(wb.sheets)).toEqual(['单位', '人员', '填写说明']);
    expect(wb.sheets['单位'].header).toEqual(['单位名称*', '单位类型*', '上级单位', '统计用区划代码', '单位编号']);
    expect(wb.sheets['人员'].header).toEqual(['姓名*', '手机号*', '职务', '所在单位*', '角色*', '是否组长', '人员编号']);
    expect((await h.http().get('/directory/roster-imports/template').set(as('sup-1'))).status).toBe(403);
  });

  it('dry run: a verdict per row naming sheet, row and column, and nothing written', async () => {
    const before = await h.eventCount();
    const res = await dryRun(roster);
    expect(res.status).toBe(200);
    const v = (sheet: string, row: number) => res.body.rows.find((r: { sheet: string; row: number }) => r.sheet === sheet && r.row === row);
    expect(v('单位', 2)).toMatchObject({ verdict: 'ok', subjectId: 'div-411625100201' });
    expect(v('单位', 3)).toMatchObject({ verdict: 'ok', subjectId: 'div-411625100000' });
    expect(v('单位', 4)).toMatchObject({ verdict: 'unchanged', subjectId: 'dept-education' });
    expect(v('单位', 5)).toMatchObject({ verdict: 'ok', subjectId: 'team-9' });
    expect(v('单位', 6)).toMatchObject({ verdict: 'refused', problems: [{ column: '上级单位', code: 'PARENT_KIND_NOT_ALLOWED' }] });
    expect(v('人员', 2)).toMatchObject({ verdict: 'ok' });
    expect(v('人员', 3)).toMatchObject({ verdict: 'ok' });
    expect(v('人员', 4)).toMatchObject({ verdict: 'refused', problems: [{ column: '手机号', code: 'INVALID_PHONE' }] });
    expect(v('人员', 5)).toMatchObject({ verdict: 'refused', problems: [{ column: '所在单位', code: 'UNKNOWN_UNIT' }] });
    expect(v('人员', 6)).toMatchObject({ verdict: 'refused', problems: [{ column: '角色', code: 'ROLE_NOT_ALLOWED_IN_UNIT' }] });
    expect(v('人员', 7)).toMatchObject({ verdict: 'refused', problems: [{ column: '手机号', code: 'DUPLICATE_PHONE' }] });
    expect(v('人员', 8)).toMatchObject({ verdict: 'refused', problems: [{ column: '所在单位', code: 'UNIT_NOT_FOUND' }] });
    expect(res.body.counts).toEqual({ ok: 5, unchanged: 1, refused: 6 });
    expect(res.body.fileSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await h.eventCount()).toBe(before);
    expect((await dryRun(roster, 'sup-1')).status).toBe(403);
  });

  it('commit: every accepted row at once, signed by the administrator with the file’s hash in the reason', async () => {
    const before = await h.eventCount();
    const idem = key();
    const res = await commit(roster, idem);
    expect(res.status).toBe(200);
    expect(res.body.counts).toEqual({ ok: 5, unchanged: 1, refused: 6 });
    // 3 units, 2 people, and the team's leader.
    expect(res.body.applied).toEqual({ streams: 5, events: 6 });
    expect(await h.eventCount()).toBe(before + 6);
    const people = await h.http().get('/directory/people?unitId=div-411625100201').set(as('jw-1'));
    expect(people.body.items).toEqual([expect.objectContaining({ name: '刘村官', phone: '13800001001', title: '村支书', role: 'unit_official' })]);
    const teams = await h.http().get('/directory/units?kind=supervision_team&q=第九').set(as('jw-1'));
    expect(teams.body.items[0]).toMatchObject({ unitId: 'team-9', parentId: 'county-office', activePeople: 1 });
    expect(teams.body.items[0].leaderUserId).toMatch(/^p-/);
    const trail = await h.http().get('/directory/changes?subjectId=div-411625100000').set(as('jw-1'));
    expect(trail.body.items[0].reason).toContain(`sha256 ${res.body.fileSha256.slice(0, 12)}`);

    // The same request again replays; the same key with another file is refused.
    const again = await commit(roster, idem);
    expect(again.status).toBe(200);
    expect(await h.eventCount()).toBe(before + 6);
    const other = await workbook({ 单位: [UNIT_HEADER, ['北关村', '村', '城关镇', null, null]] });
    const reused = await commit(other, idem);
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await h.eventCount()).toBe(before + 6);
  });

  it('the same file again adds nothing: what it created is unchanged now', async () => {
    const before = await h.eventCount();
    const res = await commit(roster);
    expect(res.status).toBe(200);
    expect(res.body.applied).toEqual({ streams: 0, events: 0 });
    expect(res.body.counts).toEqual({ ok: 0, unchanged: 6, refused: 6 });
    expect(await h.eventCount()).toBe(before);
  });

  describe('bad files: a clear 400 naming the sheet, row and column, and nothing written', () => {
    const refused = async (buf: Buffer | null, code: string, where: Record<string, unknown> = {}) => {
      const before = await h.eventCount();
      const res = await commit(buf);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code, field: 'file', ...where });
      expect(res.body.message).toMatch(new RegExp(`\\(${code}\\)$`));
      expect(await h.eventCount()).toBe(before);
      return res;
    };

    it('not an XLSX', async () => {
      await refused(Buffer.from('序号,姓名\n1,张三\n'), 'NOT_XLSX');
      await refused(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(64)]), 'NOT_XLSX');
    });

    it('no file', async () => {
      await refused(null, 'FILE_REQUIRED');
    });

    it('over the size limit', async () => {
      await refused(Buffer.alloc(5 * 1024 * 1024 + 10, 1), 'FILE_TOO_LARGE');
    });

    it('a zip bomb: the parts would unzip past the limit', async () => {
      const buf = Buffer.from(roster);
      // Declare one part huge in the zip's central directory, as a bomb does; nothing is inflated to find out.
      const at = buf.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      buf.writeUInt32LE(0x7fff0000, at + 24);
      await refused(buf, 'ZIP_BOMB');
    });

    it('an empty sheet', async () => {
      await refused(await workbook({ 单位: [UNIT_HEADER], 人员: [PERSON_HEADER] }), 'EMPTY_SHEET', { sheet: '单位' });
    });

    it('a missing column', async () => {
      const res = await refused(
        await workbook({ 单位: ROSTER.单位, 人员: [['姓名', '职务', '所在单位', '角色'], ['某人', '干部', '城关镇', '乡镇/部门责任人']] }),
        'MISSING_COLUMN',
        { sheet: '人员', row: 1, column: '手机号' },
      );
      expect(res.body.message).toContain('手机号');
    });

    it('merged cells', async () => {
      await refused(await workbook(ROSTER, (wb) => wb.getWorksheet('单位')!.mergeCells('A2:A3')), 'MERGED_CELLS', { sheet: '单位', column: 'A2:A3' });
    });

    it('neither sheet of the template', async () => {
      await refused(await workbook({ Sheet1: [['a'], ['b']] }), 'MISSING_SHEET');
    });
  });
});
