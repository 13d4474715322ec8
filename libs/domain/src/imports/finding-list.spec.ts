import { decideFindingList, type ImportContext, type SheetRow } from './finding-list';
import { columnOfHeader, findDateInText, parseSheetDate } from './finding-list-columns';
import { NameIndex, townKey, unitKey, villageKey } from './names';

const towns = new NameIndex(
  [
    { unitId: 'town-cg', name: '城关镇' },
    { unitId: 'town-np', name: '宁平镇' },
    { unitId: 'town-hj', name: '胡集乡' },
    { unitId: 'town-dz', name: '东寨镇' },
    { unitId: 'town-dz2', name: '东寨乡' },
    { unitId: 'town-mb', name: '洺北街道' },
  ],
  townKey,
);
const assignees = new NameIndex(
  [
    { unitId: 'town-np', name: '宁平镇' },
    { unitId: 'dept-housing', name: '县住建局' },
    { unitId: 'dept-water', name: '县水利局' },
  ],
  unitKey,
);
const villagesOfNp = new NameIndex(
  [
    { unitId: 'v-1', name: '前进村' },
    { unitId: 'v-2', name: '和平社区' },
  ],
  villageKey,
);

const ctx = (over: Partial<ImportContext> = {}): ImportContext => ({
  campaignId: 'c1',
  sha256: 'ab'.repeat(32),
  today: '2026-10-08',
  directory: { towns, assignees, villagesOf: (id) => (id === 'town-np' ? villagesOfNp : null) },
  findingIdOf: (key) => `id:${key.split('\n').slice(1).join('|')}`,
  existing: new Set(),
  choices: {},
  ...over,
});

const row = (n: number, values: SheetRow['values']): SheetRow => ({
  row: n,
  values: { source: '入户排查', town: '宁平镇', village: '前进村', description: `问题 ${n}`, category: '2.3', ...values },
});

describe('matching names tolerantly', () => {
  it.each([
    ['城关', 'town-cg'],
    ['城关镇', 'town-cg'],
    ['　城 关 镇 ', 'town-cg'],
    ['郸城县宁平镇', 'town-np'],
    ['胡集', 'town-hj'],
    ['洺北', 'town-mb'],
    ['洺北街道办事处', 'town-mb'],
  ])('%s is %s', (typed, unitId) => {
    expect(towns.match(typed)).toEqual({ kind: 'exact', unit: expect.objectContaining({ unitId }) });
  });

  it('full-width letters and digits fold to half-width', () => {
    const idx = new NameIndex([{ unitId: 'x', name: 'A1村' }], villageKey);
    expect(idx.match('Ａ１村')).toMatchObject({ kind: 'exact' });
  });

  it('a key two units share is a choice, not a guess', () => {
    expect(towns.match('东寨')).toEqual({ kind: 'ambiguous', candidates: [expect.objectContaining({ unitId: 'town-dz' }), expect.objectContaining({ unitId: 'town-dz2' })] });
    expect(towns.match('东寨镇')).toMatchObject({ kind: 'exact', unit: { unitId: 'town-dz' } });
  });

  it('a one-character typo is suggested; a name like nothing is unknown without suggestions', () => {
    expect(towns.match('宁坪镇')).toEqual({ kind: 'unknown', suggestions: [expect.objectContaining({ unitId: 'town-np' })] });
    expect(towns.match('火星镇')).toEqual({ kind: 'unknown', suggestions: [] });
  });

  it('departments with or without the county', () => {
    expect(assignees.match('郸城县住建局')).toMatchObject({ kind: 'exact', unit: { unitId: 'dept-housing' } });
    expect(assignees.match('住建局')).toMatchObject({ kind: 'exact', unit: { unitId: 'dept-housing' } });
  });
});

describe('headers and dates', () => {
  it('knows the headers counties write', () => {
    expect(columnOfHeader('乡镇（街道）')?.key).toBe('town');
    expect(columnOfHeader(' 村(社区) ')?.key).toBe('village');
    expect(columnOfHeader('整改期限')?.key).toBe('dueDate');
    expect(columnOfHeader('问题描素')).toBeUndefined();
  });

  it('reads dates as people type them and refuses days that do not exist', () => {
    expect(parseSheetDate('2026-03-05')).toEqual({ ok: true, date: '2026-03-05' });
    expect(parseSheetDate('2026年3月5日')).toEqual({ ok: true, date: '2026-03-05' });
    expect(parseSheetDate('２０２６/3/5')).toEqual({ ok: true, date: '2026-03-05' });
    expect(parseSheetDate('2026-02-30')).toEqual({ ok: false, reason: 'impossible_date' });
    expect(parseSheetDate('尽快')).toEqual({ ok: false, reason: 'not_a_date' });
    expect(findDateInText('已于2026年9月18日完成整改并销号')).toEqual({ ok: true, date: '2026-09-18' });
  });
});

describe('decideFindingList', () => {
  it('an open row is ok and comes in recorded, with the sheet’s unit and deadline as a proposal', () => {
    const [v] = decideFindingList([row(3, { unit: '住建局', dueDate: '2026-10-30', status: '整改中', severity: '红' })], ctx());
    expect(v).toMatchObject({ row: 3, verdict: 'ok', kind: 'open', problems: [] });
    expect(v.command).toMatchObject({
      townUnitId: 'town-np',
      village: '前进村',
      categoryCode: '2.3',
      severity: 'red',
      sheetUnitId: 'dept-housing',
      sheetDueDate: '2026-10-30',
      importedFrom: { row: 3 },
    });
    expect(v.command!.closed).toBeUndefined();
  });

  it('a closed row comes in as history with the date from 销号时间, else from 整改情况', () => {
    const [a, b] = decideFindingList(
      [row(2, { status: '已销号', closedOn: '2026-09-01' }), row(3, { status: '已于2026年9月18日完成整改' })],
      ctx(),
    );
    expect(a).toMatchObject({ verdict: 'ok', kind: 'closed', command: { closed: { closedOn: '2026-09-01', statusText: '已销号' } } });
    expect(b).toMatchObject({ verdict: 'ok', kind: 'closed', command: { closed: { closedOn: '2026-09-18' } } });
  });

  it('refuses a closed row without a date, with an impossible date, or closed after today', () => {
    const vs = decideFindingList(
      [row(2, { status: '已完成' }), row(3, { status: '已于2026年2月30日销号' }), row(4, { status: '已销号', closedOn: '2026-12-01' })],
      ctx(),
    );
    expect(vs.map((v) => [v.verdict, v.problems[0]?.code, v.problems[0]?.column])).toEqual([
      ['refused', 'MISSING_CLOSING_DATE', '销号时间'],
      ['refused', 'IMPOSSIBLE_DATE', '整改情况'],
      ['refused', 'CLOSED_IN_THE_FUTURE', '销号时间'],
    ]);
  });

  it('"未完成" is open even though it contains 完成', () => {
    expect(decideFindingList([row(2, { status: '未完成整改' })], ctx())[0]).toMatchObject({ verdict: 'ok', kind: 'open' });
  });

  it('a misspelt town needs a choice with a suggestion; the commit’s choice settles it', () => {
    const [v] = decideFindingList([row(5, { town: '宁坪' })], ctx());
    expect(v).toMatchObject({ verdict: 'needs_choice', command: null });
    expect(v.problems).toEqual([
      expect.objectContaining({ column: '乡镇', code: 'UNKNOWN_TOWN', choosable: true, suggestions: [{ value: 'town-np', label: '宁平镇' }] }),
    ]);
    const [chosen] = decideFindingList([row(5, { town: '宁坪' })], ctx({ choices: { 5: { townUnitId: 'town-np' } } }));
    expect(chosen).toMatchObject({ verdict: 'ok', command: { townUnitId: 'town-np' } });
  });

  it('a choice that is not in the directory is refused', () => {
    const [v] = decideFindingList([row(5, { town: '宁坪' })], ctx({ choices: { 5: { townUnitId: 'town-mars' } } }));
    expect(v).toMatchObject({ verdict: 'refused', problems: [expect.objectContaining({ code: 'INVALID_CHOICE', column: '乡镇' })] });
  });

  it('villages are matched where the directory knows the town’s villages, and kept as written where it does not', () => {
    const [known, typo, elsewhere] = decideFindingList(
      [row(2, { village: '和平' }), row(3, { village: '前近村' }), row(4, { town: '城关', village: ' 北街村 ' })],
      ctx(),
    );
    expect(known.command).toMatchObject({ village: '和平社区' });
    expect(typo).toMatchObject({ verdict: 'needs_choice', problems: [expect.objectContaining({ column: '村', suggestions: [{ value: 'v-1', label: '前进村' }] })] });
    expect(elsewhere.command).toMatchObject({ townUnitId: 'town-cg', village: '北街村' });
  });

  it('refuses empty required cells, an unknown source, an unknown category; an area alone offers its items', () => {
    const [a, b, c] = decideFindingList(
      [row(2, { description: '' }), row(3, { source: '梦里', category: '9.9' }), row(4, { category: '政策落实' })],
      ctx(),
    );
    expect(a.problems.map((p) => [p.column, p.code])).toEqual([['问题描述', 'EMPTY_CELL']]);
    expect(b.problems.map((p) => [p.column, p.code])).toEqual([
      ['问题来源', 'UNKNOWN_SOURCE'],
      ['问题类别', 'UNKNOWN_CATEGORY'],
    ]);
    expect(c).toMatchObject({ verdict: 'needs_choice', problems: [expect.objectContaining({ code: 'AMBIGUOUS_CATEGORY' })] });
    expect(c.problems[0].suggestions.map((s) => s.value)).toEqual(['2.1', '2.2', '2.3', '2.4', '2.5']);
  });

  it('category by name, and sources by the words counties use', () => {
    const [v] = decideFindingList([row(2, { category: '住房安全保障', source: '省委巡视反馈' })], ctx());
    expect(v.command).toMatchObject({ categoryCode: '2.3', source: 'supervision_patrol' });
  });

  it('the same finding twice in one sheet: the second row is refused naming the first', () => {
    const vs = decideFindingList([row(2, { description: '危房' }), row(3, { description: ' 危房 ', town: '宁平' })], ctx());
    expect(vs[0].verdict).toBe('ok');
    expect(vs[1]).toMatchObject({ verdict: 'refused', problems: [expect.objectContaining({ code: 'DUPLICATE_ROW', message: expect.stringContaining('第 2 行') })] });
  });

  it('rows already in the store are reported as imported and not decided again', () => {
    const first = decideFindingList([row(2, {})], ctx());
    const again = decideFindingList([row(2, {})], ctx({ existing: new Set([first[0].findingId!]) }));
    expect(again[0]).toMatchObject({ verdict: 'already_imported', findingId: first[0].findingId });
  });
});
