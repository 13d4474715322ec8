import { ApiHarness, startApi } from '../support/api-harness';
import { DEMO_CAMPAIGN, findingBody, idempotencyKeys, uploadEvidence } from '../support/api-fixtures';

const key = idempotencyKeys('authz');

/**
 * The authorisation matrix as a table: every person-signed command × every kind of signer, each on a finding freshly
 * brought to the state the command needs, so a refusal can only be the rule's. Allowed cells succeed; refused cells
 * answer 403 with the rule and append nothing. Then the read-leak checks: another unit's official reads nothing of
 * a finding that is not theirs.
 */

type Who = 'inspector' | 'supervisor' | 'owner' | 'colleague' | 'otherUnit' | 'discipline' | 'admin';
const PEOPLE: Record<Who, string> = {
  inspector: 'insp-1',
  supervisor: 'sup-1',
  owner: 'off-town-01-a', // town-01's official who claims the finding
  colleague: 'off-town-01-b', // same town, did not claim
  otherUnit: 'off-town-02-a',
  discipline: 'jw-1',
  admin: 'admin-1',
};
const WHO = Object.keys(PEOPLE) as Who[];

type State =
  | 'none'
  | 'Recorded'
  | 'Dispatched'
  | 'InRectification'
  | 'ExtensionPending'
  | 'AwaitingVerification'
  | 'Closed'
  // 举一反三: a propagation from a new finding to town-01, its task unclaimed or claimed by the owner (the id is the propagation's).
  | 'SelfCheckRequested'
  | 'SelfCheckClaimed';
interface Command {
  name: string;
  state: State;
  path: (id: string) => string;
  body: object;
  /** Who may sign it; every other signer is refused with the rule `refusal` names. */
  allowed: Who[];
}

const supervisorOnly: Who[] = ['supervisor'];
/** Stands for a photo the test uploads first: a command's evidence names an uploaded file. */
const UPLOADED = 'uploaded-photo';

const COMMANDS: Command[] = [
  { name: '记录 RecordFinding', state: 'none', path: () => '/findings', body: findingBody(), allowed: ['inspector'] },
  { name: '更正 AmendFinding', state: 'Recorded', path: (id) => `/findings/${id}/amend`, body: { severity: 'yellow', reason: '核对后调整' }, allowed: supervisorOnly },
  { name: '作废 AnnulFinding', state: 'Recorded', path: (id) => `/findings/${id}/annul`, body: { reason: '重复登记' }, allowed: supervisorOnly },
  { name: '交办 DispatchFinding', state: 'Recorded', path: (id) => `/findings/${id}/dispatch`, body: { unitId: 'town-01' }, allowed: supervisorOnly },
  { name: '认领 ClaimFinding', state: 'Dispatched', path: (id) => `/findings/${id}/claim`, body: {}, allowed: ['owner', 'colleague'] },
  { name: '一题一策 SubmitRectificationPlan', state: 'InRectification', path: (id) => `/findings/${id}/plan`, body: { plan: '纳入改造', measures: ['鉴定'] }, allowed: ['owner'] },
  { name: '上报进度 ReportProgress', state: 'InRectification', path: (id) => `/findings/${id}/progress`, body: { summary: '进行中', evidence: [] }, allowed: ['owner'] },
  { name: '申请延期 RequestExtension', state: 'InRectification', path: (id) => `/findings/${id}/extension-requests`, body: { workdays: 2, reason: '雨天' }, allowed: ['owner'] },
  { name: '同意延期 GrantExtension', state: 'ExtensionPending', path: (id) => `/findings/${id}/extension-requests/grant`, body: { reason: '同意' }, allowed: supervisorOnly },
  { name: '不同意延期 RefuseExtension', state: 'ExtensionPending', path: (id) => `/findings/${id}/extension-requests/refuse`, body: { reason: '不同意' }, allowed: supervisorOnly },
  { name: '整改完成签字 SubmitRectification', state: 'InRectification', path: (id) => `/findings/${id}/rectification`, body: { summary: '完成', evidence: [UPLOADED] }, allowed: ['owner'] },
  { name: '验收销号 VerifyRectification', state: 'AwaitingVerification', path: (id) => `/findings/${id}/verify`, body: {}, allowed: supervisorOnly },
  { name: '退回 RejectRectification', state: 'AwaitingVerification', path: (id) => `/findings/${id}/reject`, body: { reason: '证据不足' }, allowed: supervisorOnly },
  { name: '改派 ReassignFinding', state: 'InRectification', path: (id) => `/findings/${id}/reassign`, body: { toUnitId: 'town-02', reason: '职责调整' }, allowed: supervisorOnly },
  { name: '回头看重新打开 ReopenFinding', state: 'Closed', path: (id) => `/findings/${id}/reopen`, body: { reason: '回头看发现反弹' }, allowed: supervisorOnly },
  { name: '发起举一反三 LaunchPropagation', state: 'Recorded', path: () => '/propagations', body: {}, allowed: supervisorOnly },
  { name: '认领自查 ClaimSelfCheck', state: 'SelfCheckRequested', path: (id) => `/propagations/${id}/units/town-01/claim`, body: {}, allowed: ['owner', 'colleague'] },
  {
    name: '自查签字 AttestSelfCheck',
    state: 'SelfCheckClaimed',
    path: (id) => `/propagations/${id}/units/town-01/attest`,
    body: { outcome: 'none_found', checked: '逐户自查C级危房' },
    allowed: ['owner'],
  },
  { name: '批量交办 DispatchFindings', state: 'Recorded', path: () => '/dispatch-notices', body: {}, allowed: supervisorOnly },
  {
    name: '创建专项行动 CreateCampaign',
    state: 'none',
    path: () => '/campaigns',
    body: { name: '矩阵专项行动', noticePrefix: '矩督', phases: [{ code: 'rectification', name: '集中整改', startDate: '2026-11-16', endDate: '2026-12-31' }] },
    allowed: ['admin'],
  },
  {
    // An invented notice; each allowed cell publishes a year of its own so that none is a correction.
    name: '发布年度节假日安排 PublishOfficialCalendar',
    state: 'none',
    path: () => '/calendar/official-years',
    body: { title: '矩阵测试年度节假日安排（虚构）', documentNo: '矩发〔2040〕1号', makeupWorkdays: [] },
    allowed: ['admin'],
  },
  // The directory is the administrator's: they change it, nobody else does (and they still sign no finding step above).
  { name: '新建单位 CreateUnit', state: 'none', path: () => '/directory/units', body: { unitId: 'town-matrix', name: '矩阵镇', kind: 'town', reason: '矩阵测试' }, allowed: ['admin'] },
  { name: '单位更名 RenameUnit', state: 'none', path: () => '/directory/units/town-19/rename', body: { name: '汲水镇', reason: '撤乡设镇' }, allowed: ['admin'] },
  { name: '调动人员 MovePerson', state: 'none', path: () => '/directory/people/off-town-19-a/move', body: { unitId: 'town-18', reason: '干部交流' }, allowed: ['admin'] },
];

/** The rule a signer outside `allowed` is refused with. */
const refusal = (c: Command, who: Who): string => {
  if (who === 'discipline') return 'READ_ONLY_ROLE';
  if (who === 'admin') return 'ADMIN_CANNOT_SIGN';
  const unitCommand = c.allowed.includes('owner');
  if (unitCommand && who === 'otherUnit') return 'UNIT_SCOPE';
  if (unitCommand && who === 'colleague') return 'SIGNER_OWNS_IT';
  return 'ROLE_REQUIRED';
};

const launchBody = (originFindingId: string) => ({
  campaignId: DEMO_CAMPAIGN,
  originFindingId,
  scope: 'chosen',
  unitIds: ['town-01'],
  instruction: '对照该问题自查',
  deadlineWorkdays: 5,
});

describe('authorisation matrix: role × command × own / other unit (real PostgreSQL, over HTTP)', () => {
  let h: ApiHarness;
  let evidence = '';
  const post = (who: Who, path: string, body: object) =>
    h.http().post(path).set({ Authorization: `Bearer ${h.token(PEOPLE[who])}` }).set('Idempotency-Key', key()).send(body);
  const ok = async (who: Who, path: string, body: object) => {
    const res = await post(who, path, body);
    if (res.status >= 300) throw new Error(`${who} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  };

  /** A new finding brought to `state` by the people who would really sign each step. */
  const findingIn = async (state: State): Promise<string> => {
    const id: string = (await ok('inspector', '/findings', findingBody())).body.findingId;
    if (state === 'Recorded') return id;
    if (state === 'SelfCheckRequested' || state === 'SelfCheckClaimed') {
      const p: string = (await ok('supervisor', '/propagations', launchBody(id))).body.propagationId;
      if (state === 'SelfCheckClaimed') await ok('owner', `/propagations/${p}/units/town-01/claim`, {});
      return p;
    }
    await ok('supervisor', `/findings/${id}/dispatch`, { unitId: 'town-01' });
    if (state === 'Dispatched') return id;
    await ok('owner', `/findings/${id}/claim`, {});
    if (state === 'InRectification') return id;
    if (state === 'ExtensionPending') {
      await ok('owner', `/findings/${id}/extension-requests`, { workdays: 2, reason: '雨天' });
      return id;
    }
    await ok('owner', `/findings/${id}/rectification`, { summary: '完成', evidence: [evidence] });
    if (state === 'AwaitingVerification') return id;
    await h.http().post(`/findings/${id}/verify`).set({ Authorization: `Bearer ${h.token('sup-2')}` }).set('Idempotency-Key', key()).send({});
    return id;
  };

  let campaigns = 0;
  let years = 0;
  const bodyFor = async (c: Command, id: string) => {
    if (c.name.includes('PublishOfficialCalendar')) {
      const year = 2040 + ++years;
      return { ...c.body, year, holidays: [{ date: `${year}-01-01`, name: '元旦' }] };
    }
    if (c.name.includes('DispatchFindings')) return { findingIds: [id], unitId: 'town-01' };
    if (c.name.includes('LaunchPropagation')) return launchBody(id);
    if (c.name.includes('CreateCampaign')) return { ...c.body, campaignId: `c-matrix-${++campaigns}` };
    const refs = (c.body as { evidence?: string[] }).evidence;
    if (refs) return { ...c.body, evidence: refs.map((e) => (e === UPLOADED ? evidence : e)) };
    return c.body;
  };

  beforeAll(async () => {
    h = await startApi();
    evidence = await uploadEvidence(h, PEOPLE.owner);
  });
  afterAll(async () => h.close());

  const cells = COMMANDS.flatMap((c) => WHO.map((who) => [c.name, who, c] as const));

  it.each(cells)('%s by %s', async (_, who, c) => {
    const id = c.state === 'none' ? '' : await findingIn(c.state);
    const before = await h.eventCount();
    const res = await post(who, c.path(id), await bodyFor(c, id));
    if (c.allowed.includes(who)) {
      // The body is in the assertion so a refused allowed cell says why.
      expect({ status: res.status, refusal: res.status < 300 ? null : res.body }).toEqual({ status: res.status, refusal: null });
      expect(await h.eventCount()).toBeGreaterThan(before);
    } else {
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ statusCode: 403, rule: refusal(c, who) });
      expect(await h.eventCount()).toBe(before);
    }
  });

  describe('read leaks: another unit sees nothing of a finding that is not theirs', () => {
    let id: string;
    let noticeNo: string;
    beforeAll(async () => {
      id = await findingIn('InRectification');
      await ok('owner', `/findings/${id}/progress`, { summary: '进行中', evidence: [] });
      await h.catchUp();
      noticeNo = (await h.http().get(`/findings/${id}`).set({ Authorization: `Bearer ${h.token('sup-1')}` })).body.noticeNo;
      expect(noticeNo).toMatch(/号$/);
    });
    const get = (who: Who, path: string) => h.http().get(path).set({ Authorization: `Bearer ${h.token(PEOPLE[who])}` });

    it.each([
      ['the finding', (i: string) => `/findings/${i}`],
      ['its rectification ledger', (i: string) => `/findings/${i}/rectification`],
      ['its audit trail', (i: string) => `/findings/${i}/audit-trail`],
      ['its dispatch notice', (i: string) => `/findings/${i}/notice`],
      ['the claim list of its unit', () => '/units/town-01/claim-list'],
      ['the claim list export of its unit', () => '/exports/units/town-01/claim-list.xlsx'],
    ])('%s: 403 for the other unit, 200 for the owning one', async (_, path) => {
      const other = await get('otherUnit', path(id));
      expect(other.status).toBe(403);
      expect(other.body).toMatchObject({ rule: 'UNIT_SCOPE' });
      expect((await get('owner', path(id))).status).toBe(200);
    });

    it('lists, the notice by number and the accountability ledger leave it out for the other unit', async () => {
      const ids = (body: { items: Array<{ findingId: string }> }) => body.items.map((f) => f.findingId);
      expect(ids((await get('otherUnit', `/findings?campaignId=${DEMO_CAMPAIGN}&pageSize=200`)).body)).not.toContain(id);
      expect(ids((await get('owner', `/findings?campaignId=${DEMO_CAMPAIGN}&pageSize=200`)).body)).toContain(id);
      expect(ids((await get('otherUnit', `/findings?unitId=town-01`)).body)).toEqual([]);
      const notice = await get('otherUnit', `/notices/${encodeURIComponent(noticeNo)}`);
      expect(notice.status).toBe(403);
      expect(notice.text).not.toContain(id);
      expect((await get('owner', `/notices/${encodeURIComponent(noticeNo)}`)).status).toBe(200);
      const ledger = await get('otherUnit', `/ledgers/accountability?findingId=${id}`);
      expect(ledger.status === 403 || ledger.body.items.length === 0).toBe(true);
    });
  });
});
