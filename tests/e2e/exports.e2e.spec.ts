import { createHash } from 'node:crypto';
import * as XLSX from '@e965/xlsx';
import type { TimerKind } from '@duban/domain';
import { createWriteSide } from '@duban/application';
import { EVENT_STORE, EventStore } from '@duban/event-store';
import { ApiHarness, startApi } from '../support/api-harness';
import { DEMO_CAMPAIGN as CAMPAIGN, idempotencyKeys, findingBody as finding, uploadEvidence } from '../support/api-fixtures';
import { excelWallTime, open, Opened } from '../support/xlsx-reader';

// Every export is opened with SheetJS (@e965/xlsx), a reader independent of the exceljs writer.

const key = idempotencyKeys('export');

/** Shanghai wall time of an instant, computed without any library. */
const shanghai = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('XLSX ledger exports over HTTP (real PostgreSQL, read back with SheetJS)', () => {
  let h: ApiHarness;
  const as = (userId: string) => ({ Authorization: `Bearer ${h.token(userId)}` });
  const post = (userId: string, path: string, body: unknown) =>
    h.http().post(path).set(as(userId)).set('Idempotency-Key', key()).send(body as object);
  const get = (userId: string | null, path: string) => {
    const r = h.http().get(path);
    if (userId) r.set(as(userId));
    return r
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
  };
  async function xlsx(userId: string, path: string): Promise<Opened> {
    const res = await get(userId, path);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.body.toString()}`);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    return open(res.body as Buffer, res.headers['content-disposition']);
  }
  async function error(userId: string | null, path: string) {
    const res = await get(userId, path);
    return { status: res.status, body: JSON.parse((res.body as Buffer).toString('utf8')) };
  }

  async function fire(findingId: string, kind: TimerKind): Promise<void> {
    const store = h.app.get<EventStore>(EVENT_STORE);
    const timers = createWriteSide({ store, clock: h.clock }).timers;
    const timer = (await timers.plan(findingId)).timers.find((t) => t.kind === kind);
    if (!timer) throw new Error(`no ${kind} timer planned for ${findingId}`);
    await timers.fire(findingId, timer, `test:${timer.key}`);
  }

  /** The heads digest recomputed independently from the ids in the file and the checkpoint on its notes sheet. */
  async function recomputeDigest(ids: string[], transactionId: string, position: string): Promise<string> {
    const lines: string[] = [];
    for (const id of [...new Set(ids)]) {
      const { rows } = await h.db.adminPool.query(
        `SELECT stream_id, version, hash FROM events
          WHERE stream_id = $1 AND (transaction_id, position) <= ($2::text::xid8, $3::bigint)
          ORDER BY version DESC LIMIT 1`,
        [`finding-${id}`, transactionId, position],
      );
      lines.push(`${rows[0].stream_id}\t${rows[0].version}\t${rows[0].hash}\n`);
    }
    lines.sort();
    return createHash('sha256').update(lines.join(''), 'utf8').digest('hex');
  }

  let a: string; // town-01, red, claimed, plan, two progress reports
  let b: string; // town-02, yellow, dispatched, never claimed (claim overdue)
  let c: string; // town-01 household, only recorded
  let d: string; // town-01, yellow, dispatched, never claimed (claim overdue)
  let aRecordedAt: string;

  beforeAll(async () => {
    h = await startApi('2026-11-23T02:00:00.000Z'); // Monday 10:00 in Asia/Shanghai
    a = (await post('insp-1', '/findings', finding({ evidence: [await uploadEvidence(h, 'insp-1', 'photo-001.png')] }))).body.findingId;
    h.clock.set('2026-11-23T02:01:00.000Z');
    b = (await post('insp-2', '/findings', finding({ townUnitId: 'town-02', severity: 'yellow', village: '李家村', description: '饮水安全：自来水入户率不足' }))).body.findingId;
    h.clock.set('2026-11-23T02:02:00.000Z');
    c = (await post('insp-1', '/findings', finding({ severity: 'blue', description: '教育帮扶：控辍保学台账不全' }))).body.findingId;
    h.clock.set('2026-11-23T02:03:00.000Z');
    d = (await post('insp-1', '/findings', finding({ severity: 'yellow', description: '医疗保障：慢病签约服务未落实' }))).body.findingId;
    h.clock.set('2026-11-23T02:10:00.000Z');
    for (const [id, unit] of [[a, 'town-01'], [b, 'town-02'], [d, 'town-01']]) {
      expect((await post('sup-1', `/findings/${id}/dispatch`, { unitId: unit })).status).toBe(200);
    }
    expect((await post('off-town-01-a', `/findings/${a}/claim`, {})).status).toBe(200);
    expect(
      (await post('off-town-01-a', `/findings/${a}/plan`, { plan: '纳入危房改造计划', measures: ['房屋安全鉴定', '拆除重建'], plannedCompletionDate: '2026-11-26' })).status,
    ).toBe(200);
    expect((await post('off-town-01-a', `/findings/${a}/progress`, { summary: '已完成鉴定，C级危房', percent: 40, evidence: [await uploadEvidence(h, 'off-town-01-a', 'jd-01.png')] })).status).toBe(200);
    h.clock.set('2026-11-24T03:30:00.000Z'); // 11:30 Shanghai
    expect((await post('off-town-01-a', `/findings/${a}/progress`, { summary: '主体施工中', percent: 70 })).status).toBe(200);
    await fire(b, 'claim_sla');
    await fire(d, 'claim_sla');
    h.clock.set('2026-11-27T02:00:00.000Z'); // Friday 10:00 Shanghai: a (red, due 11-26) is overdue
    await h.catchUp();
    aRecordedAt = (await h.http().get(`/findings/${a}`).set(as('sup-1'))).body.recordedAt;
  });
  afterAll(async () => h.close());

  describe('问题台账 /exports/finding-ledger.xlsx', () => {
    let file: Opened;
    beforeAll(async () => {
      file = await xlsx('sup-1', '/exports/finding-ledger.xlsx');
    });

    it('has Chinese sheet names, headers, one row per finding in on-screen order, Chinese text intact', () => {
      expect(file.wb.SheetNames).toEqual(['问题台账', '导出说明']);
      const s = file.sheets['问题台账'];
      expect(s.header.slice(0, 12)).toEqual([
        '序号', '问题编号', '专项行动', '交办通知书号', '问题来源', '问题类别', '严重程度', '乡镇（街道）', '村（社区）', '户', '问题描述', '当前状态',
      ]);
      expect(s.header).toEqual(expect.arrayContaining(['责任单位', '责任人', '排查时间', '整改期限', '是否超期', '超期天数', '认领签字人']));
      expect(s.data.map((r) => r['问题编号'])).toEqual([a, b, c, d]);
      expect(s.data[0]).toMatchObject({
        序号: 1,
        问题来源: '入户排查',
        严重程度: '红色',
        '乡镇（街道）': '洺北街道',
        '村（社区）': '张庄村',
        问题描述: '脱贫户张某某住房为C级危房，未纳入改造',
        当前状态: '整改中',
        责任单位: '洺北街道',
        责任人: '郑爱民',
        排查签字人: '陈红梅',
        是否超期: '是',
        超期天数: 1,
        进展报送次数: 2,
        交办通知书号: expect.stringMatching(/^郸巩督〔2026〕\d+号$/),
      });
      expect(String(s.data[0]['问题类别'])).toMatch(/^2\.3 /);
      expect(s.data[1]).toMatchObject({ 责任单位: '洺南街道', 当前状态: '已交办', 是否超期: '否' });
      expect(s.data[2]).toMatchObject({ 当前状态: '已登记', 责任单位: null });
    });

    it('dates are real Excel dates in Asia/Shanghai: instants as wall time, due dates as dates', () => {
      const s = file.sheets['问题台账'];
      expect(aRecordedAt).toBe('2026-11-23T02:00:00.000Z');
      expect(excelWallTime(s.cell(1, '排查时间'))).toBe('2026-11-23 10:00');
      expect(excelWallTime(s.cell(1, '排查时间'))).toBe(shanghai(aRecordedAt));
      expect(s.cell(1, '排查时间')!.w).toBe('2026-11-23 10:00');
      expect(excelWallTime(s.cell(1, '整改期限'))).toBe('2026-11-26 00:00');
      expect(s.cell(1, '整改期限')!.w).toBe('2026-11-26');
      expect(excelWallTime(s.cell(1, '最近进展时间'))).toBe('2026-11-24 11:30');
    });

    it('is laid out for Excel: frozen header, autofilter over the data, column widths, Chinese file name', () => {
      const s = file.sheets['问题台账'];
      expect(s.ws['!autofilter']?.ref).toBe(`A1:${XLSX.utils.encode_col(s.header.length - 1)}5`);
      const width = (i: number) => s.ws['!cols']![i].wch ?? s.ws['!cols']![i].width ?? 0;
      expect(width(s.header.indexOf('问题描述'))).toBeGreaterThan(40);
      expect(width(s.header.indexOf('序号'))).toBeLessThan(10);
      const zip = XLSX.CFB.read(file.buf, { type: 'buffer' });
      const entry = zip.FileIndex[zip.FullPaths.findIndex((p: string) => p.endsWith('xl/worksheets/sheet1.xml'))];
      const xml = Buffer.from(entry.content as Uint8Array).toString('utf8');
      expect(xml).toMatch(/<pane[^>]*ySplit="1"[^>]*state="frozen"|<pane[^>]*state="frozen"[^>]*ySplit="1"/);
      expect(file.disposition).toMatch(/^attachment; filename="finding-ledger_20261127-1000\.xlsx"; filename\*=UTF-8''/);
      expect(decodeURIComponent(file.disposition.split("UTF-8''")[1])).toBe('问题台账_20261127-1000.xlsx');
    });

    it('导出说明 names the time, exporter, filters, row count, checkpoint and a recomputable heads digest', async () => {
      const n = file.notes;
      expect(n.get('台账')).toBe('问题台账');
      expect(excelWallTime(file.sheets['导出说明'].cell(2, '内容'))).toBe('2026-11-27 10:00');
      expect(n.get('导出时间（UTC，ISO 8601）')).toBe('2026-11-27T02:00:00.000Z');
      expect(n.get('导出人')).toBe('李秀英（sup-1）');
      expect(n.get('数据范围')).toBe('全部单位');
      expect(n.get('筛选条件')).toBe('无（全部）');
      expect(n.get('行数（问题台账）')).toBe(4);
      expect(n.get('读模型检查点')).toBe('projection:finding_ledger:v2');
      const cp = (
        await h.db.adminPool.query(
          `SELECT transaction_id::text AS t, position::text AS p FROM subscription_checkpoints WHERE name = 'projection:finding_ledger:v2'`,
        )
      ).rows[0];
      expect(n.get('检查点事务号（transaction_id）')).toBe(cp.t);
      expect(n.get('检查点位置（position）')).toBe(cp.p);
      const last = (
        await h.db.adminPool.query(`SELECT stream_id, version, event_id::text AS event_id, hash FROM events WHERE position = $1`, [cp.p])
      ).rows[0];
      expect(n.get('检查点处最后事件：事件流')).toBe(last.stream_id);
      expect(n.get('检查点处最后事件：版本')).toBe(last.version);
      expect(n.get('检查点处最后事件：事件编号')).toBe(last.event_id);
      expect(n.get('检查点处最后事件：哈希')).toBe(last.hash);
      expect(n.get('所含问题事件流数')).toBe(4);
      const ids = file.sheets['问题台账'].data.map((r) => String(r['问题编号']));
      expect(n.get('问题流头哈希摘要（SHA-256）')).toBe(await recomputeDigest(ids, cp.t, cp.p));
      expect(String(n.get('摘要算法'))).toContain('SHA-256');
    });

    it.each([
      ['?state=Dispatched', () => [b, d], '问题状态（state）= Dispatched（已交办）'],
      ['?severity=red', () => [a], '严重程度（severity）= red（红色）'],
      ['?overdue=true', () => [a], '是否超期（overdue）= true（已超期未销号）'],
      ['?unitId=town-02', () => [b], '当前责任单位（unitId）= town-02'],
      [`?campaignId=other-campaign`, () => [], '专项行动编号（campaignId）= other-campaign'],
    ])('filters as on screen: %s', async (query, expected, note) => {
      const f = await xlsx('jw-1', `/exports/finding-ledger.xlsx${query}`);
      expect(f.sheets['问题台账'].data.map((r) => r['问题编号'])).toEqual(expected());
      expect(f.notes.get('行数（问题台账）')).toBe(expected().length);
      expect(f.notes.get('筛选条件')).toBe(note);
      // The same rows as the on-screen ledger.
      const screen = await h.http().get(`/findings${query}`).set(as('jw-1'));
      expect(screen.body.items.map((i: { findingId: string }) => i.findingId)).toEqual(expected());
    });

    it('scope: a unit official gets their own unit only, and a filter cannot widen it', async () => {
      const own = await xlsx('off-town-01-a', '/exports/finding-ledger.xlsx');
      expect(own.sheets['问题台账'].data.map((r) => r['问题编号'])).toEqual([a, d]);
      expect(own.notes.get('数据范围')).toBe('本单位：洺北街道（town-01）');
      expect(own.notes.get('导出人')).toBe('郑爱民（off-town-01-a）');
      expect(own.notes.get('所含问题事件流数')).toBe(2);
      const widened = await xlsx('off-town-01-a', '/exports/finding-ledger.xlsx?unitId=town-02');
      expect(widened.sheets['问题台账'].data).toEqual([]);
      expect(widened.notes.get('行数（问题台账）')).toBe(0);
    });

    it.each([
      ['?state=Open', 'state'],
      ['?severity=green', 'severity'],
      ['?overdue=maybe', 'overdue'],
      ['?categoryCode=2-3', 'categoryCode'],
      ['?unitId=Town_01', 'unitId'],
      ['?page=2', 'page'],
    ])('query %s → 400 naming %s in Chinese', async (query, field) => {
      const res = await error('sup-1', `/exports/finding-ledger.xlsx${query}`);
      expect(res.status).toBe(400);
      expect(res.body.field).toBe(field);
      expect(res.body.message).toContain(field);
      expect(res.body.message).toMatch(/[\u4e00-\u9fa5]/);
    });

    it('401 without a token', async () => {
      expect((await error(null, '/exports/finding-ledger.xlsx')).status).toBe(401);
    });
  });

  describe('整改台账 /exports/rectification-ledger.xlsx', () => {
    it('one row per finding with plan, measures and evidence; a second sheet with every progress report', async () => {
      const f = await xlsx('sup-2', '/exports/rectification-ledger.xlsx');
      expect(f.wb.SheetNames).toEqual(['整改台账', '整改进展', '导出说明']);
      const main = f.sheets['整改台账'];
      expect(main.header).toEqual(
        expect.arrayContaining(['问题编号', '问题描述', '责任单位', '责任人', '整改方案', '整改措施', '计划完成时间', '最新完成进度（%）', '佐证材料']),
      );
      expect(main.data.map((r) => r['问题编号'])).toEqual([a, b, c, d]);
      expect(main.data[0]).toMatchObject({
        整改方案: '纳入危房改造计划',
        整改措施: '1. 房屋安全鉴定\n2. 拆除重建',
        方案签字人: '郑爱民',
        '最新完成进度（%）': 70,
        最新进展: '主体施工中',
        进展报送次数: 2,
      });
      expect(String(main.data[0]['佐证材料'])).toContain('photo-001.png（排查登记');
      expect(String(main.data[0]['佐证材料'])).toContain('jd-01.png（整改进展');
      expect(excelWallTime(main.cell(1, '计划完成时间'))).toBe('2026-11-26 00:00');
      const progress = f.sheets['整改进展'];
      expect(progress.header).toEqual(expect.arrayContaining(['问题编号', '报送工作日', '完成进度（%）', '进展情况', '报送人', '报送时间']));
      expect(progress.data.map((r) => [r['问题编号'], r['完成进度（%）'], r['进展情况'], r['报送人']])).toEqual([
        [a, 40, '已完成鉴定，C级危房', '郑爱民'],
        [a, 70, '主体施工中', '郑爱民'],
      ]);
      expect(excelWallTime(progress.cell(2, '报送时间'))).toBe('2026-11-24 11:30');
      expect(progress.cell(2, '报送工作日')!.w).toBe('2026-11-24');
      expect(f.notes.get('行数（整改台账）')).toBe(4);
      expect(f.notes.get('行数（整改进展）')).toBe(2);
      expect(f.notes.get('读模型检查点')).toBe('projection:rectification_ledger:v2');
      expect(String(f.notes.get('关联读模型检查点：projection:finding_ledger:v2'))).toMatch(/^事务号 \d+，位置 \d+$/);
      expect(f.notes.get('问题流头哈希摘要（SHA-256）')).toBe(
        await recomputeDigest([a, b, c, d], String(f.notes.get('检查点事务号（transaction_id）')), String(f.notes.get('检查点位置（position）'))),
      );
      expect(decodeURIComponent(f.disposition.split("UTF-8''")[1])).toBe('整改台账_20261127-1000.xlsx');
    });

    it('a unit official gets their unit only; the finding filters apply', async () => {
      const own = await xlsx('off-town-01-b', '/exports/rectification-ledger.xlsx');
      expect(own.sheets['整改台账'].data.map((r) => r['问题编号'])).toEqual([a, d]);
      const other = await xlsx('off-town-02-a', '/exports/rectification-ledger.xlsx');
      expect(other.sheets['整改台账'].data.map((r) => r['问题编号'])).toEqual([b]);
      expect(other.sheets['整改进展'].data).toEqual([]);
      const red = await xlsx('sup-1', '/exports/rectification-ledger.xlsx?severity=yellow');
      expect(red.sheets['整改台账'].data.map((r) => r['问题编号'])).toEqual([b, d]);
      expect((await error('sup-1', '/exports/rectification-ledger.xlsx?state=done')).body.field).toBe('state');
    });
  });

  describe('问题认领清单 /exports/units/:unitId/claim-list.xlsx', () => {
    it("lists what was dispatched to the unit and who signed for it, named after the unit", async () => {
      const f = await xlsx('off-town-01-a', '/exports/units/town-01/claim-list.xlsx');
      expect(f.wb.SheetNames).toEqual(['问题认领清单', '导出说明']);
      const s = f.sheets['问题认领清单'];
      expect(s.header).toEqual([
        '序号', '问题编号', '交办通知书号', '问题类别', '严重程度', '村（社区）', '问题描述', '交办人', '交办时间', '整改期限', '认领状态',
        '认领签字人', '认领时间', '问题当前状态',
      ]);
      // Both were dispatched at the same clock instant: the list then orders by finding id, as on screen.
      const byId = (x: unknown[], y: unknown[]) => String(x[0]).localeCompare(String(y[0]));
      expect(s.data.map((r) => [r['问题编号'], r['认领状态'], r['认领签字人'], r['交办人']])).toEqual(
        [
          [a, '已认领', '郑爱民', '李秀英'],
          [d, '待认领', null, '李秀英'],
        ].sort(byId),
      );
      expect(excelWallTime(s.cell(1, '交办时间'))).toBe('2026-11-23 10:10');
      expect(f.notes.get('台账')).toBe('问题认领清单（洺北街道）');
      expect(f.notes.get('行数（问题认领清单）')).toBe(2);
      expect(f.notes.get('读模型检查点')).toBe('projection:claim_list:v1');
      expect(decodeURIComponent(f.disposition.split("UTF-8''")[1])).toBe('问题认领清单_洺北街道_20261127-1000.xlsx');
      expect(f.notes.get('问题流头哈希摘要（SHA-256）')).toBe(
        await recomputeDigest([a, d], String(f.notes.get('检查点事务号（transaction_id）')), String(f.notes.get('检查点位置（position）'))),
      );
      const claimed = await xlsx('sup-1', '/exports/units/town-01/claim-list.xlsx?status=awaiting_claim');
      expect(claimed.sheets['问题认领清单'].data.map((r) => r['问题编号'])).toEqual([d]);
      expect(claimed.notes.get('筛选：认领状态（status）')).toBe('awaiting_claim（待认领）');
    });

    it('403 UNIT_SCOPE for another unit; 404 for an unknown unit; 400 for a malformed one or a bad filter', async () => {
      const other = await error('off-town-01-a', '/exports/units/town-02/claim-list.xlsx');
      expect(other.status).toBe(403);
      expect(other.body.rule).toBe('UNIT_SCOPE');
      const unknown = await error('sup-1', '/exports/units/town-99/claim-list.xlsx');
      expect(unknown.status).toBe(404);
      expect(unknown.body.message).toContain('单位');
      const bad = await error('sup-1', '/exports/units/Town_01/claim-list.xlsx');
      expect([bad.status, bad.body.field]).toEqual([400, 'unitId']);
      const status = await error('sup-1', '/exports/units/town-01/claim-list.xlsx?status=done');
      expect([status.status, status.body.field]).toEqual([400, 'status']);
      expect(status.body.message).toMatch(/[\u4e00-\u9fa5]/);
    });
  });

  describe('问责台账 /exports/accountability-ledger.xlsx', () => {
    it('lists each consequence against who answers for it, newest first; scoped and filtered as on screen', async () => {
      const f = await xlsx('jw-1', '/exports/accountability-ledger.xlsx');
      expect(f.wb.SheetNames).toEqual(['问责台账', '导出说明']);
      const s = f.sheets['问责台账'];
      expect(s.header.slice(0, 8)).toEqual(['序号', '发生时间', '类别', '升级层级', '责任人', '责任人角色', '责任单位', '所据签字环节']);
      // Both claim SLAs fell at the same instant: the order is the on-screen one (then by id, newest first).
      const screen = (await h.http().get('/ledgers/accountability').set(as('jw-1'))).body.items.map((i: { findingId: string }) => i.findingId);
      expect(s.data.map((r) => r['问题编号'])).toEqual(screen);
      const byId = new Map(s.data.map((r) => [r['问题编号'], [r['类别'], r['责任单位'], r['责任人']]]));
      expect(byId.get(d)).toEqual(['逾期未认领', '洺北街道', '（无人签字，由单位负责）']);
      expect(byId.get(b)).toEqual(['逾期未认领', '洺南街道', '（无人签字，由单位负责）']);
      // The claim SLA ends at 24:00 of 11-24 in Shanghai.
      expect(excelWallTime(s.cell(1, '发生时间'))).toBe('2026-11-25 00:00');
      expect(f.notes.get('行数（问责台账）')).toBe(2);
      expect(f.notes.get('读模型检查点')).toBe('projection:accountability_ledger:v1');
      const own = await xlsx('off-town-02-a', '/exports/accountability-ledger.xlsx');
      expect(own.sheets['问责台账'].data.map((r) => r['问题编号'])).toEqual([b]);
      const filtered = await xlsx('sup-1', `/exports/accountability-ledger.xlsx?unitId=town-01&kind=claim_overdue&from=2026-11-24`);
      expect(filtered.sheets['问责台账'].data.map((r) => r['问题编号'])).toEqual([d]);
      expect(filtered.notes.get('筛选：后果类别（kind）')).toBe('claim_overdue（逾期未认领）');
      const none = await xlsx('sup-1', '/exports/accountability-ledger.xlsx?to=2026-11-24');
      expect(none.sheets['问责台账'].data).toEqual([]);
    });

    it.each([
      ['?from=2026-12-02&to=2026-12-01', 'to'],
      ['?kind=bogus', 'kind'],
      ['?findingId=not-a-uuid', 'findingId'],
    ])('query %s → 400 naming %s', async (query, field) => {
      const res = await error('sup-1', `/exports/accountability-ledger.xlsx${query}`);
      expect(res.status).toBe(400);
      expect(res.body.field).toBe(field);
      expect(res.body.message).toMatch(/[\u4e00-\u9fa5]/);
    });
  });

  it('rows and checkpoint are one snapshot: an event the projection has not read is in neither', async () => {
    const e = (await post('insp-1', '/findings', finding({ description: '新登记，尚未投影' }))).body.findingId as string;
    const f = await xlsx('sup-1', '/exports/finding-ledger.xlsx');
    expect(f.sheets['问题台账'].data.map((r) => r['问题编号'])).toEqual([a, b, c, d]);
    const newest = (await h.db.adminPool.query(`SELECT position::text AS p FROM events WHERE stream_id = $1`, [`finding-${e}`])).rows[0].p;
    expect(BigInt(String(f.notes.get('检查点位置（position）')))).toBeLessThan(BigInt(newest));
    await h.catchUp();
    const after = await xlsx('sup-1', '/exports/finding-ledger.xlsx');
    expect(after.notes.get('行数（问题台账）')).toBe(5);
    expect(after.notes.get('检查点位置（position）')).toBe(newest);
    expect(after.notes.get('检查点处最后事件：事件流')).toBe(`finding-${e}`);
  });

  it('documents the exports in OpenAPI', async () => {
    const doc = await h.http().get('/api/docs-json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/exports/finding-ledger.xlsx',
        '/exports/rectification-ledger.xlsx',
        '/exports/units/{unitId}/claim-list.xlsx',
        '/exports/accountability-ledger.xlsx',
      ]),
    );
  });
});
