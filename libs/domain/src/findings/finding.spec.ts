import type { Actor } from '../shared/actor';
import { deciderSpec } from '../testing/decider-spec';
import { actors, sh, testContext, utc } from '../testing/fixtures';
import {
  decide,
  evolveAll,
  findingDecider,
  findingStreamId,
  FINDING_COMMAND_TYPES,
  FINDING_EVENT_TYPES,
  SOURCES,
  type Finding,
  type FindingCommand,
  type FindingCommandType,
  type FindingEvent,
  type FindingState,
} from './index';

const ctx = testContext();
const spec = deciderSpec(findingDecider, ctx);
const { inspector, supervisor, supervisor2, officialA, officialA2, officialB, discipline, admin } = actors;

type DataOf<T extends FindingCommandType> = Extract<FindingCommand, { type: T }>['data'];
const command = <T extends FindingCommandType>(type: T, data: DataOf<T>, actor: Actor, local: string): FindingCommand =>
  ({ type, data, metadata: { now: sh(local), actor } }) as FindingCommand;

// ---------------- a canonical history ----------------

const recorded: FindingEvent = {
  type: 'FindingRecorded',
  data: {
    findingId: 'f1',
    campaignId: 'c1',
    source: 'household_inspection',
    categoryCode: '2.3',
    severity: 'yellow',
    townUnitId: 'town-a',
    village: '东庄村',
    household: '张某某',
    description: '危房未改造，住房安全未保障',
    evidence: ['file-1'],
    signedBy: inspector,
    at: utc('2026-10-08 09:00'),
  },
};
// Thursday 10-08 after National Day; 10 workdays counts the make-up Saturday 10-10 and ends Wednesday 10-21.
const dispatched: FindingEvent = {
  type: 'FindingDispatched',
  data: {
    unitId: 'town-a',
    noticeNo: '郸巩督〔2026〕1号',
    deadlineWorkdays: 10,
    dueDate: '2026-10-21',
    deadlineAt: '2026-10-21T16:00:00.000Z',
    cappedByPhaseEnd: false,
    calendarVersion: 0,
    note: null,
    signedBy: supervisor,
    at: utc('2026-10-08 15:00'),
  },
};
const claimed: FindingEvent = {
  type: 'FindingClaimed',
  data: { unitId: 'town-a', signedBy: officialA, at: utc('2026-10-09 09:00') },
};
const extensionRequested: FindingEvent = {
  type: 'ExtensionRequested',
  data: { workdays: 5, reason: '建材未到货', currentDueDate: '2026-10-21', signedBy: officialA, at: utc('2026-10-12 10:00') },
};
const submitted: FindingEvent = {
  type: 'RectificationSubmitted',
  data: { summary: '已完成危房改造', evidence: ['file-2'], signedBy: officialA, at: utc('2026-10-15 10:00') },
};
const closed: FindingEvent = {
  type: 'FindingClosed',
  data: { note: null, signedBy: supervisor2, at: utc('2026-10-16 10:00') },
};

const RECORDED = [recorded];
const DISPATCHED = [recorded, dispatched];
const IN_RECTIFICATION = [recorded, dispatched, claimed];
const AWAITING = [...IN_RECTIFICATION, submitted];
const CLOSED = [...AWAITING, closed];
const ANNULLED: FindingEvent[] = [
  recorded,
  { type: 'FindingAnnulled', data: { reason: '重复登记', signedBy: supervisor, at: utc('2026-10-08 11:00') } },
];

const stateOf = (events: FindingEvent[]): Finding => {
  const s = evolveAll(events);
  if (s.status === 'Empty') throw new Error('expected a finding');
  return s;
};

const recordCommand = (over: Partial<DataOf<'RecordFinding'>> = {}, actor: Actor = inspector) =>
  command(
    'RecordFinding',
    {
      findingId: 'f1',
      campaignId: 'c1',
      source: 'household_inspection',
      categoryCode: '2.3',
      severity: 'yellow',
      townUnitId: 'town-a',
      village: '东庄村',
      household: '张某某',
      description: '危房未改造，住房安全未保障',
      evidence: ['file-1'],
      ...over,
    },
    actor,
    '2026-10-08 09:00',
  );

describe('finding decider', () => {
  it('exports names and stream ids', () => {
    expect(findingStreamId('f1')).toBe('finding-f1');
    // 15 signed by people, 8 established by timers (7) or acknowledging them (1).
    expect(FINDING_EVENT_TYPES).toHaveLength(24);
    expect(FINDING_COMMAND_TYPES).toHaveLength(24);
    expect(SOURCES.map((s) => s.code)).toContain('covert_visit');
  });

  describe('RecordFinding 登记问题', () => {
    it('an inspector records and signs a finding', () => {
      spec.given([]).when(recordCommand()).then([recorded]);
    });

    it('the state is Recorded, owned by nobody, recorded by the inspector', () => {
      expect(stateOf(RECORDED)).toMatchObject({
        status: 'Recorded',
        unitId: null,
        owner: null,
        recordedBy: inspector,
        severity: 'yellow',
      });
    });

    it('optional village and household become null', () => {
      const [e] = spec.given([]).when(recordCommand({ village: undefined, household: '  ' })).thenEvents();
      expect(e.data).toMatchObject({ village: null, household: null });
    });

    it('cannot record the same finding twice', () => {
      spec.given(RECORDED).when(recordCommand()).thenThrows({ kind: 'invalid_state', code: 'FINDING_ALREADY_EXISTS' });
    });

    it('only an inspector records', () => {
      spec.given([]).when(recordCommand({}, supervisor)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
      spec.given([]).when(recordCommand({}, officialA)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
    });

    it.each([
      [{ source: 'rumour' as never }, 'source'],
      [{ severity: 'green' as never }, 'severity'],
      [{ description: '   ' }, 'description'],
      [{ categoryCode: '' }, 'categoryCode'],
      [{ townUnitId: '' }, 'townUnitId'],
      [{ evidence: [''] }, 'evidence'],
      [{ campaignId: 'other' }, 'campaignId'],
    ])('refuses bad input %j', (over, field) => {
      spec.given([]).when(recordCommand(over)).thenThrows({ kind: 'invalid_input', field });
    });

    it('refuses a command without a valid server time', () => {
      const bad = { ...recordCommand(), metadata: { now: '2026-10-08 09:00', actor: inspector } } as FindingCommand;
      spec.given([]).when(bad).thenThrows({ kind: 'invalid_input', field: 'metadata.now' });
    });
  });

  describe('AmendFinding 更正问题', () => {
    const amend = (data: DataOf<'AmendFinding'>, actor: Actor = supervisor) =>
      command('AmendFinding', data, actor, '2026-10-08 10:00');

    it('a supervisor corrects with a reason; the old value is kept in the fact', () => {
      spec
        .given(DISPATCHED)
        .when(amend({ severity: 'red', reason: '涉及住房安全，提级' }))
        .then([
          {
            type: 'FindingAmended',
            data: {
              changes: { severity: 'red' },
              previous: { severity: 'yellow' },
              reason: '涉及住房安全，提级',
              signedBy: supervisor,
              at: utc('2026-10-08 10:00'),
            },
          },
        ]);
      const events = spec.given(DISPATCHED).when(amend({ severity: 'red', reason: '提级' })).thenEvents();
      expect(stateOf([...DISPATCHED, ...events]).severity).toBe('red');
    });

    it('an inspector may never edit after signing', () => {
      spec
        .given(RECORDED)
        .when(amend({ description: '改一下', reason: '写错了' }, inspector))
        .thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
    });

    it('needs a reason', () => {
      spec.given(RECORDED).when(amend({ severity: 'red', reason: ' ' })).thenThrows({ kind: 'invalid_input', field: 'reason' });
    });

    it('needs an actual change', () => {
      spec
        .given(RECORDED)
        .when(amend({ severity: 'yellow', reason: '核对' }))
        .thenThrows({ kind: 'invalid_input', code: 'NOTHING_TO_AMEND' });
    });

    it('cannot amend a closed or annulled finding', () => {
      spec.given(CLOSED).when(amend({ severity: 'red', reason: 'x' })).thenThrows({ kind: 'invalid_state', code: 'FINDING_NOT_AMENDABLE' });
      spec.given(ANNULLED).when(amend({ severity: 'red', reason: 'x' })).thenThrows({ kind: 'invalid_state', code: 'FINDING_NOT_AMENDABLE' });
    });

    it('cannot amend what does not exist', () => {
      spec.given([]).when(amend({ severity: 'red', reason: 'x' })).thenThrows({ kind: 'not_found', code: 'FINDING_NOT_FOUND' });
    });
  });

  describe('AnnulFinding 撤销问题', () => {
    const annul = (reason: string, actor: Actor = supervisor) => command('AnnulFinding', { reason }, actor, '2026-10-08 11:00');

    it('a supervisor annuls a recorded finding with a reason', () => {
      spec.given(RECORDED).when(annul('重复登记')).then([ANNULLED[1]]);
      expect(stateOf(ANNULLED).status).toBe('Annulled');
    });

    it('a dispatched finding can still be annulled', () => {
      spec
        .given(DISPATCHED)
        .when(annul('误报'))
        .then([{ type: 'FindingAnnulled', data: { reason: '误报', signedBy: supervisor, at: utc('2026-10-08 11:00') } }]);
      expect(stateOf([...DISPATCHED, { type: 'FindingAnnulled', data: { reason: '误报', signedBy: supervisor, at: utc('2026-10-08 11:00') } }]).status).toBe('Annulled');
    });

    it('once work has started it cannot be annulled', () => {
      spec.given(IN_RECTIFICATION).when(annul('x')).thenThrows({ kind: 'invalid_state', code: 'FINDING_NOT_ANNULLABLE' });
      spec.given(ANNULLED).when(annul('x')).thenThrows({ kind: 'invalid_state', code: 'FINDING_NOT_ANNULLABLE' });
    });

    it('needs a reason and a supervisor', () => {
      spec.given(RECORDED).when(annul('')).thenThrows({ kind: 'invalid_input', field: 'reason' });
      spec.given(RECORDED).when(annul('x', inspector)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
    });
  });

  describe('DispatchFinding 交办', () => {
    const dispatch = (data: Partial<DataOf<'DispatchFinding'>> = {}, actor: Actor = supervisor, at = '2026-10-08 15:00') =>
      command('DispatchFinding', { unitId: 'town-a', noticeNo: '郸巩督〔2026〕1号', ...data }, actor, at);

    it('the default deadline comes from the policy by severity (yellow: 10 workdays, make-up Saturday counted)', () => {
      spec.given(RECORDED).when(dispatch()).then([dispatched]);
    });

    it('an explicit deadline wins; the event day never counts', () => {
      const [e] = spec.given(RECORDED).when(dispatch({ deadlineWorkdays: 3 }, supervisor, '2026-10-08 23:59')).thenEvents();
      expect(e.data).toMatchObject({ deadlineWorkdays: 3, dueDate: '2026-10-12', deadlineAt: '2026-10-12T16:00:00.000Z' });
    });

    it('the phase end caps the deadline and says so', () => {
      const [e] = spec.given(RECORDED).when(dispatch({}, supervisor, '2026-11-25 10:00')).thenEvents();
      expect(e.data).toMatchObject({ dueDate: '2026-11-30', deadlineAt: '2026-11-30T16:00:00.000Z', cappedByPhaseEnd: true });
    });

    it('the state records unit, notice, deadline and dispatcher, but no owner yet', () => {
      expect(stateOf(DISPATCHED)).toMatchObject({
        status: 'Dispatched',
        unitId: 'town-a',
        owner: null,
        noticeNo: '郸巩督〔2026〕1号',
        dueDate: '2026-10-21',
        dispatchedBy: supervisor,
      });
    });

    it('only a recorded finding can be dispatched', () => {
      spec.given(DISPATCHED).when(dispatch()).thenThrows({ kind: 'invalid_state', code: 'FINDING_NOT_RECORDED' });
      spec.given(ANNULLED).when(dispatch()).thenThrows({ kind: 'invalid_state', code: 'FINDING_NOT_RECORDED' });
      spec.given([]).when(dispatch()).thenThrows({ kind: 'not_found', code: 'FINDING_NOT_FOUND' });
    });

    it('only a supervisor dispatches', () => {
      spec.given(RECORDED).when(dispatch({}, inspector)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
    });

    it.each([
      [{ unitId: '' }, 'unitId'],
      [{ noticeNo: '' }, 'noticeNo'],
      [{ deadlineWorkdays: 0 }, 'deadlineWorkdays'],
      [{ deadlineWorkdays: 2.5 }, 'deadlineWorkdays'],
    ])('refuses bad input %j', (over, field) => {
      spec.given(RECORDED).when(dispatch(over)).thenThrows({ kind: 'invalid_input', field });
    });

    it('refuses a context loaded for another campaign', () => {
      const other = { ...ctx, campaign: { ...ctx.campaign, campaignId: 'c2' } };
      expect(() => decide(dispatch(), evolveAll(RECORDED), other)).toThrow(
        expect.objectContaining({ kind: 'invalid_state', code: 'CAMPAIGN_MISMATCH' }),
      );
    });
  });

  describe('ClaimFinding 认领', () => {
    const claim = (actor: Actor) => command('ClaimFinding', {}, actor, '2026-10-09 09:00');

    it('an official of the dispatched unit claims and becomes the owner', () => {
      spec.given(DISPATCHED).when(claim(officialA)).then([claimed]);
      expect(stateOf(IN_RECTIFICATION)).toMatchObject({ status: 'InRectification', owner: officialA });
    });

    it("another unit's official cannot claim (unit scope)", () => {
      spec.given(DISPATCHED).when(claim(officialB)).thenThrows({ kind: 'forbidden', rule: 'UNIT_SCOPE' });
    });

    it('an undispatched finding belongs to no unit yet', () => {
      spec.given(RECORDED).when(claim(officialA)).thenThrows({ kind: 'forbidden', rule: 'UNIT_SCOPE' });
    });

    it('a claimed finding cannot be claimed again, even by a colleague', () => {
      spec.given(IN_RECTIFICATION).when(claim(officialA2)).thenThrows({ kind: 'invalid_state', code: 'FINDING_NOT_DISPATCHED' });
    });

    it('only a unit official claims', () => {
      spec.given(DISPATCHED).when(claim(supervisor)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
    });
  });

  describe('SubmitRectificationPlan 一题一策', () => {
    const plan = (actor: Actor = officialA, over: Partial<DataOf<'SubmitRectificationPlan'>> = {}) =>
      command(
        'SubmitRectificationPlan',
        { plan: '实施危房改造', measures: ['鉴定', '施工', '验收'], plannedCompletionDate: '2026-10-20', ...over },
        actor,
        '2026-10-09 10:00',
      );

    it('the owner submits a plan; a later plan is a new event', () => {
      const expected: FindingEvent = {
        type: 'RectificationPlanSubmitted',
        data: {
          plan: '实施危房改造',
          measures: ['鉴定', '施工', '验收'],
          plannedCompletionDate: '2026-10-20',
          signedBy: officialA,
          at: utc('2026-10-09 10:00'),
        },
      };
      spec.given(IN_RECTIFICATION).when(plan()).then([expected]);
      // The owner may revise the plan: a second plan is a new fact, not an edit of the first.
      const [revised] = spec.given([...IN_RECTIFICATION, expected]).when(plan(officialA, { plan: '调整方案' })).thenEvents();
      expect(revised).toMatchObject({ type: expected.type, data: { plan: '调整方案', signedBy: officialA } });
    });

    it('a colleague of the owner cannot sign it (whoever signs owns it)', () => {
      spec.given(IN_RECTIFICATION).when(plan(officialA2)).thenThrows({ kind: 'forbidden', rule: 'SIGNER_OWNS_IT' });
    });

    it("another unit's official cannot touch it", () => {
      spec.given(IN_RECTIFICATION).when(plan(officialB)).thenThrows({ kind: 'forbidden', rule: 'UNIT_SCOPE' });
    });

    it('only while in rectification', () => {
      spec.given(DISPATCHED).when(plan()).thenThrows({ kind: 'invalid_state', code: 'FINDING_NOT_IN_RECTIFICATION' });
      spec.given(AWAITING).when(plan()).thenThrows({ kind: 'invalid_state', code: 'FINDING_NOT_IN_RECTIFICATION' });
    });

    it.each([
      [{ plan: '' }, 'plan'],
      [{ measures: [] }, 'measures'],
      [{ plannedCompletionDate: '2026/10/20' }, 'plannedCompletionDate'],
    ])('refuses bad input %j', (over, field) => {
      spec.given(IN_RECTIFICATION).when(plan(officialA, over)).thenThrows({ kind: 'invalid_input', field });
    });
  });

  describe('ReportProgress 上报整改进度', () => {
    const report = (actor: Actor = officialA, over: Partial<DataOf<'ReportProgress'>> = {}, at = '2026-10-09 17:00') =>
      command('ReportProgress', { summary: '已完成鉴定', percent: 30, evidence: ['file-3'], ...over }, actor, at);

    it('the owner reports; the workday is the Shanghai date of the report', () => {
      spec
        .given(IN_RECTIFICATION)
        .when(report())
        .then([
          {
            type: 'ProgressReported',
            data: {
              workday: '2026-10-09',
              summary: '已完成鉴定',
              percent: 30,
              evidence: ['file-3'],
              signedBy: officialA,
              at: utc('2026-10-09 17:00'),
            },
          },
        ]);
      const [late] = spec.given(IN_RECTIFICATION).when(report(officialA, { percent: undefined }, '2026-10-10 00:30')).thenEvents();
      expect(late.data).toMatchObject({ workday: '2026-10-10', percent: null, at: '2026-10-09T16:30:00.000Z' });
      expect(stateOf([...IN_RECTIFICATION, late]).lastProgressWorkday).toBe('2026-10-10');
    });

    it('only the owner reports', () => {
      spec.given(IN_RECTIFICATION).when(report(officialA2)).thenThrows({ kind: 'forbidden', rule: 'SIGNER_OWNS_IT' });
      spec.given(IN_RECTIFICATION).when(report(officialB)).thenThrows({ kind: 'forbidden', rule: 'UNIT_SCOPE' });
      spec.given(IN_RECTIFICATION).when(report(supervisor)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
    });

    it('not after the fix is submitted or before it is claimed', () => {
      spec.given(AWAITING).when(report()).thenThrows({ kind: 'invalid_state', code: 'FINDING_NOT_IN_RECTIFICATION' });
      spec.given(DISPATCHED).when(report()).thenThrows({ kind: 'invalid_state', code: 'FINDING_NOT_IN_RECTIFICATION' });
    });

    it.each([
      [{ summary: '' }, 'summary'],
      [{ percent: 101 }, 'percent'],
      [{ percent: -1 }, 'percent'],
      [{ evidence: [' '] }, 'evidence'],
    ])('refuses bad input %j', (over, field) => {
      spec.given(IN_RECTIFICATION).when(report(officialA, over)).thenThrows({ kind: 'invalid_input', field });
    });
  });

  describe('RequestExtension 申请延期', () => {
    const request = (actor: Actor = officialA, over: Partial<DataOf<'RequestExtension'>> = {}) =>
      command('RequestExtension', { workdays: 5, reason: '建材未到货', ...over }, actor, '2026-10-12 10:00');

    it('the owner asks, stating the current due date', () => {
      spec.given(IN_RECTIFICATION).when(request()).then([extensionRequested]);
      expect(stateOf([...IN_RECTIFICATION, extensionRequested]).pendingExtension).toMatchObject({ workdays: 5, requestedBy: officialA });
    });

    it('one request at a time', () => {
      spec
        .given([...IN_RECTIFICATION, extensionRequested])
        .when(request())
        .thenThrows({ kind: 'invalid_state', code: 'EXTENSION_ALREADY_PENDING' });
    });

    it('only the owner asks', () => {
      spec.given(IN_RECTIFICATION).when(request(officialA2)).thenThrows({ kind: 'forbidden', rule: 'SIGNER_OWNS_IT' });
      spec.given(IN_RECTIFICATION).when(request(officialB)).thenThrows({ kind: 'forbidden', rule: 'UNIT_SCOPE' });
    });

    it('only in rectification', () => {
      spec.given(AWAITING).when(request()).thenThrows({ kind: 'invalid_state', code: 'FINDING_NOT_IN_RECTIFICATION' });
    });

    it.each([
      [{ workdays: 0 }, 'workdays'],
      [{ workdays: 11 }, 'workdays'],
      [{ reason: '' }, 'reason'],
    ])('refuses bad input %j', (over, field) => {
      spec.given(IN_RECTIFICATION).when(request(officialA, over)).thenThrows({ kind: 'invalid_input', field });
    });
  });

  describe('GrantExtension / RefuseExtension 延期审批', () => {
    const PENDING = [...IN_RECTIFICATION, extensionRequested];
    const grant = (actor: Actor = supervisor, reason?: string) =>
      command('GrantExtension', reason === undefined ? {} : { reason }, actor, '2026-10-13 10:00');
    const refuse = (reason: string, actor: Actor = supervisor) => command('RefuseExtension', { reason }, actor, '2026-10-13 10:00');

    it('a supervisor grants: the requested workdays are added to the current due date', () => {
      const granted: FindingEvent = {
        type: 'ExtensionGranted',
        data: {
          workdays: 5,
          previousDueDate: '2026-10-21',
          dueDate: '2026-10-28',
          deadlineAt: '2026-10-28T16:00:00.000Z',
          cappedByPhaseEnd: false,
          calendarVersion: 0,
          reason: null,
          signedBy: supervisor,
          at: utc('2026-10-13 10:00'),
        },
      };
      spec.given(PENDING).when(grant()).then([granted]);
      expect(stateOf([...PENDING, granted])).toMatchObject({ dueDate: '2026-10-28', pendingExtension: null });
    });

    it('the phase end caps an extension', () => {
      const lateDispatch = { ...dispatched, data: { ...dispatched.data, dueDate: '2026-11-27', deadlineAt: '2026-11-27T16:00:00.000Z' } } as FindingEvent;
      const [e] = spec.given([recorded, lateDispatch, claimed, extensionRequested]).when(grant()).thenEvents();
      expect(e.data).toMatchObject({ previousDueDate: '2026-11-27', dueDate: '2026-11-30', cappedByPhaseEnd: true });
    });

    it('an extension that the phase end swallows entirely is refused as impossible', () => {
      const atPhaseEnd = { ...dispatched, data: { ...dispatched.data, dueDate: '2026-11-30', deadlineAt: '2026-11-30T16:00:00.000Z' } } as FindingEvent;
      spec
        .given([recorded, atPhaseEnd, claimed, extensionRequested])
        .when(grant())
        .thenThrows({ kind: 'invalid_state', code: 'EXTENSION_EXCEEDS_PHASE_END' });
    });

    it('a supervisor refuses with a reason', () => {
      const refused: FindingEvent = {
        type: 'ExtensionRefused',
        data: { workdays: 5, reason: '可调剂建材', signedBy: supervisor, at: utc('2026-10-13 10:00') },
      };
      spec.given(PENDING).when(refuse('可调剂建材')).then([refused]);
      expect(stateOf([...PENDING, refused])).toMatchObject({ dueDate: '2026-10-21', pendingExtension: null });
      spec.given(PENDING).when(refuse(' ')).thenThrows({ kind: 'invalid_input', field: 'reason' });
    });

    it('nothing to decide without a pending request', () => {
      spec.given(IN_RECTIFICATION).when(grant()).thenThrows({ kind: 'invalid_state', code: 'NO_PENDING_EXTENSION' });
      spec.given(IN_RECTIFICATION).when(refuse('x')).thenThrows({ kind: 'invalid_state', code: 'NO_PENDING_EXTENSION' });
      spec.given(CLOSED).when(grant()).thenThrows({ kind: 'invalid_state' });
    });

    it('the owner cannot grant their own extension', () => {
      spec.given(PENDING).when(grant(officialA)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
      spec.given(PENDING).when(refuse('x', officialA)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
    });
  });

  describe('SubmitRectification 整改完成签字', () => {
    const submit = (actor: Actor = officialA, over: Partial<DataOf<'SubmitRectification'>> = {}) =>
      command('SubmitRectification', { summary: '已完成危房改造', evidence: ['file-2'], ...over }, actor, '2026-10-15 10:00');

    it('the owner signs completion with evidence', () => {
      spec.given(IN_RECTIFICATION).when(submit()).then([submitted]);
      expect(stateOf(AWAITING)).toMatchObject({ status: 'AwaitingVerification', rectificationSignedBy: officialA });
    });

    it('only the owner signs', () => {
      spec.given(IN_RECTIFICATION).when(submit(officialA2)).thenThrows({ kind: 'forbidden', rule: 'SIGNER_OWNS_IT' });
      spec.given(IN_RECTIFICATION).when(submit(officialB)).thenThrows({ kind: 'forbidden', rule: 'UNIT_SCOPE' });
    });

    it('evidence is required', () => {
      spec.given(IN_RECTIFICATION).when(submit(officialA, { evidence: [] })).thenThrows({ kind: 'invalid_input', field: 'evidence' });
      spec.given(IN_RECTIFICATION).when(submit(officialA, { summary: '' })).thenThrows({ kind: 'invalid_input', field: 'summary' });
    });

    it('not twice', () => {
      spec.given(AWAITING).when(submit()).thenThrows({ kind: 'invalid_state', code: 'FINDING_NOT_IN_RECTIFICATION' });
    });
  });

  describe('VerifyRectification / RejectRectification 验收销号 / 退回', () => {
    const verify = (actor: Actor = supervisor2, note?: string) =>
      command('VerifyRectification', note === undefined ? {} : { note }, actor, '2026-10-16 10:00');
    const reject = (reason: string, actor: Actor = supervisor2) =>
      command('RejectRectification', { reason }, actor, '2026-10-16 10:00');

    it('a supervisor verifies and closes', () => {
      spec.given(AWAITING).when(verify()).then([closed]);
      expect(stateOf(CLOSED)).toMatchObject({ status: 'Closed', verifiedBy: supervisor2, owner: officialA });
    });

    it('the dispatching supervisor may verify too; only the owner and the rectification signer may not', () => {
      const [e] = spec.given(AWAITING).when(verify(supervisor, '现场核实')).thenEvents();
      expect(e).toMatchObject({ type: 'FindingClosed', data: { note: '现场核实' } });
    });

    it('separation of duties: the verifier is not the owner', () => {
      const ownerAsSupervisor: Actor = { ...officialA, role: 'supervisor', unitId: 'office' };
      spec.given(AWAITING).when(verify(ownerAsSupervisor)).thenThrows({
        kind: 'forbidden',
        rule: 'SEPARATION_OF_DUTIES',
        code: 'VERIFIER_IS_OWNER',
      });
      spec.given(AWAITING).when(reject('x', ownerAsSupervisor)).thenThrows({ kind: 'forbidden', rule: 'SEPARATION_OF_DUTIES' });
    });

    it('separation of duties: the verifier is not the signer of the rectification', () => {
      // A stream where the completion was signed by someone other than the current owner.
      const signedByColleague = { ...submitted, data: { ...submitted.data, signedBy: officialA2 } } as FindingEvent;
      const colleagueAsSupervisor: Actor = { ...officialA2, role: 'supervisor', unitId: 'office' };
      const given = [...IN_RECTIFICATION, signedByColleague];
      spec.given(given).when(verify(colleagueAsSupervisor)).thenThrows({
        kind: 'forbidden',
        rule: 'SEPARATION_OF_DUTIES',
        code: 'VERIFIER_SIGNED_RECTIFICATION',
      });
      spec.given(given).when(reject('x', colleagueAsSupervisor)).thenThrows({
        kind: 'forbidden',
        rule: 'SEPARATION_OF_DUTIES',
        code: 'VERIFIER_SIGNED_RECTIFICATION',
      });
    });

    it('a unit official cannot verify', () => {
      spec.given(AWAITING).when(verify(officialA)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
    });

    it('only a finding awaiting verification', () => {
      spec.given(IN_RECTIFICATION).when(verify()).thenThrows({ kind: 'invalid_state', code: 'FINDING_NOT_AWAITING_VERIFICATION' });
      spec.given(CLOSED).when(verify()).thenThrows({ kind: 'invalid_state', code: 'FINDING_NOT_AWAITING_VERIFICATION' });
      spec.given(CLOSED).when(reject('x')).thenThrows({ kind: 'invalid_state', code: 'FINDING_NOT_AWAITING_VERIFICATION' });
    });

    it('rejection sends it back to the same owner, with a reason', () => {
      const rejected: FindingEvent = {
        type: 'RectificationRejected',
        data: { reason: '佐证不足', signedBy: supervisor2, at: utc('2026-10-16 10:00') },
      };
      spec.given(AWAITING).when(reject('佐证不足')).then([rejected]);
      expect(stateOf([...AWAITING, rejected])).toMatchObject({
        status: 'InRectification',
        owner: officialA,
        rectificationSignedBy: null,
        rectificationSubmittedAt: null,
      });
      spec.given(AWAITING).when(reject('')).thenThrows({ kind: 'invalid_input', field: 'reason' });
    });
  });

  describe('ReassignFinding 改派 — the only way ownership moves', () => {
    const reassign = (over: Partial<DataOf<'ReassignFinding'>> = {}, actor: Actor = supervisor) =>
      command('ReassignFinding', { toUnitId: 'dept-b', reason: '属行业部门职责', ...over }, actor, '2026-10-12 10:00');

    it('from rectification: owner cleared and remembered, new deadline, back to Dispatched', () => {
      const expected: FindingEvent = {
        type: 'FindingReassigned',
        data: {
          fromUnitId: 'town-a',
          toUnitId: 'dept-b',
          previousOwner: officialA,
          reason: '属行业部门职责',
          noticeNo: null,
          deadlineWorkdays: 10,
          dueDate: '2026-10-26',
          deadlineAt: '2026-10-26T16:00:00.000Z',
          cappedByPhaseEnd: false,
          calendarVersion: 0,
          signedBy: supervisor,
          at: utc('2026-10-12 10:00'),
        },
      };
      spec.given(IN_RECTIFICATION).when(reassign()).then([expected]);
      const after = [...IN_RECTIFICATION, expected];
      expect(stateOf(after)).toMatchObject({
        status: 'Dispatched',
        unitId: 'dept-b',
        owner: null,
        previousOwners: [officialA],
        noticeNo: '郸巩督〔2026〕1号',
      });

      // The old owner has lost it; the new unit must claim before acting.
      const progressByOldOwner = command('ReportProgress', { summary: 'x', evidence: [] }, officialA, '2026-10-12 11:00');
      spec.given(after).when(progressByOldOwner).thenThrows({ kind: 'forbidden', rule: 'UNIT_SCOPE' });
      const progressByNewUnit = command('ReportProgress', { summary: 'x', evidence: [] }, officialB, '2026-10-12 11:00');
      spec.given(after).when(progressByNewUnit).thenThrows({ kind: 'invalid_state', code: 'FINDING_NOT_IN_RECTIFICATION' });
      const claimByNewUnit = command('ClaimFinding', {}, officialB, '2026-10-12 11:00');
      const [claim] = spec.given(after).when(claimByNewUnit).thenEvents();
      expect(stateOf([...after, claim])).toMatchObject({ status: 'InRectification', owner: officialB, previousOwners: [officialA] });
    });

    it('from Dispatched (unclaimed) there is no previous owner; a new notice number may be given', () => {
      const [e] = spec.given(DISPATCHED).when(reassign({ noticeNo: '郸巩督〔2026〕2号', deadlineWorkdays: 3 })).thenEvents();
      expect(e.data).toMatchObject({ previousOwner: null, noticeNo: '郸巩督〔2026〕2号', deadlineWorkdays: 3, dueDate: '2026-10-15' });
      expect(stateOf([...DISPATCHED, e]).noticeNo).toBe('郸巩督〔2026〕2号');
    });

    it('from AwaitingVerification, the submitted rectification no longer stands', () => {
      const [e] = spec.given(AWAITING).when(reassign()).thenEvents();
      expect(stateOf([...AWAITING, e])).toMatchObject({ status: 'Dispatched', rectificationSignedBy: null });
    });

    it('a pending extension lapses with the reassignment', () => {
      const [e] = spec.given([...IN_RECTIFICATION, extensionRequested]).when(reassign()).thenEvents();
      expect(stateOf([...IN_RECTIFICATION, extensionRequested, e]).pendingExtension).toBeNull();
    });

    it('not to the same unit', () => {
      spec.given(IN_RECTIFICATION).when(reassign({ toUnitId: 'town-a' })).thenThrows({ kind: 'invalid_input', field: 'toUnitId', code: 'SAME_UNIT' });
    });

    it('needs a reason and a supervisor', () => {
      spec.given(IN_RECTIFICATION).when(reassign({ reason: '' })).thenThrows({ kind: 'invalid_input', field: 'reason' });
      spec.given(IN_RECTIFICATION).when(reassign({}, officialA)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
    });

    it('not before dispatch nor after the end', () => {
      spec.given(RECORDED).when(reassign()).thenThrows({ kind: 'invalid_state', code: 'FINDING_NOT_REASSIGNABLE' });
      spec.given(CLOSED).when(reassign()).thenThrows({ kind: 'invalid_state', code: 'FINDING_NOT_REASSIGNABLE' });
      spec.given(ANNULLED).when(reassign()).thenThrows({ kind: 'invalid_state', code: 'FINDING_NOT_REASSIGNABLE' });
    });
  });

  describe('ReopenFinding 回头看重新整改', () => {
    const reopen = (over: Partial<DataOf<'ReopenFinding'>> = {}, actor: Actor = supervisor, at = '2026-12-15 10:00') =>
      command('ReopenFinding', { reason: '回头看发现问题反弹', ...over }, actor, at);

    it('goes back to the owner who signed the fix, with a new deadline (capped by the improvement phase)', () => {
      const expected: FindingEvent = {
        type: 'FindingReopened',
        data: {
          reason: '回头看发现问题反弹',
          owner: officialA,
          deadlineWorkdays: 10,
          dueDate: '2026-12-29',
          deadlineAt: '2026-12-29T16:00:00.000Z',
          cappedByPhaseEnd: false,
          calendarVersion: 0,
          signedBy: supervisor,
          at: utc('2026-12-15 10:00'),
        },
      };
      spec.given(CLOSED).when(reopen()).then([expected]);
      const after = [...CLOSED, expected];
      expect(stateOf(after)).toMatchObject({ status: 'InRectification', owner: officialA, verifiedBy: null, dueDate: '2026-12-29' });
      const [progress] = spec
        .given(after)
        .when(command('ReportProgress', { summary: '重新整改', evidence: [] }, officialA, '2026-12-16 10:00'))
        .thenEvents();
      expect(progress).toMatchObject({ type: 'ProgressReported', data: { summary: '重新整改', signedBy: officialA } });
    });

    it('after all phases no phase caps the deadline', () => {
      const [e] = spec.given(CLOSED).when(reopen({ deadlineWorkdays: 20 }, supervisor, '2027-04-10 10:00')).thenEvents();
      expect(e.data).toMatchObject({ cappedByPhaseEnd: false, dueDate: '2027-05-07' });
    });

    it('only a closed finding', () => {
      spec.given(AWAITING).when(reopen()).thenThrows({ kind: 'invalid_state', code: 'FINDING_NOT_CLOSED' });
      spec.given(ANNULLED).when(reopen()).thenThrows({ kind: 'invalid_state', code: 'FINDING_NOT_CLOSED' });
    });

    it('needs a reason and a supervisor', () => {
      spec.given(CLOSED).when(reopen({ reason: '' })).thenThrows({ kind: 'invalid_input', field: 'reason' });
      spec.given(CLOSED).when(reopen({}, inspector)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
    });
  });

  describe('roles that never sign', () => {
    // One valid (given, command) per command type; only the actor is swapped.
    const cases: Array<[FindingCommandType, FindingEvent[], DataOf<FindingCommandType>]> = [
      ['RecordFinding', [], recordCommand().data],
      ['AmendFinding', RECORDED, { severity: 'red', reason: 'x' }],
      ['AnnulFinding', RECORDED, { reason: 'x' }],
      ['DispatchFinding', RECORDED, { unitId: 'town-a', noticeNo: 'n1' }],
      ['ClaimFinding', DISPATCHED, {}],
      ['SubmitRectificationPlan', IN_RECTIFICATION, { plan: 'p', measures: ['m'] }],
      ['ReportProgress', IN_RECTIFICATION, { summary: 's', evidence: [] }],
      ['RequestExtension', IN_RECTIFICATION, { workdays: 1, reason: 'r' }],
      ['GrantExtension', [...IN_RECTIFICATION, extensionRequested], {}],
      ['RefuseExtension', [...IN_RECTIFICATION, extensionRequested], { reason: 'r' }],
      ['SubmitRectification', IN_RECTIFICATION, { summary: 's', evidence: ['e'] }],
      ['VerifyRectification', AWAITING, {}],
      ['RejectRectification', AWAITING, { reason: 'r' }],
      ['ReassignFinding', IN_RECTIFICATION, { toUnitId: 'dept-b', reason: 'r' }],
      ['ReopenFinding', CLOSED, { reason: 'r' }],
      ['AcknowledgeEscalation', IN_RECTIFICATION, { level: 'interview' }],
      ['MarkDispatchOverdue', RECORDED, {}],
      ['MarkClaimOverdue', DISPATCHED, {}],
      ['RecordMissedDailyReport', IN_RECTIFICATION, { workday: '2026-10-12' }],
      ['MarkFindingOverdue', IN_RECTIFICATION, {}],
      ['EscalateFinding', IN_RECTIFICATION, { level: 'interview' }],
      ['MarkVerificationOverdue', AWAITING, {}],
      ['MarkLookBackDue', CLOSED, {}],
    ];

    it('covers every command type but the import, which an administrator may sign as importer (import.spec.ts)', () => {
      expect(cases.map(([t]) => t).sort()).toEqual(FINDING_COMMAND_TYPES.filter((t) => t !== 'ImportFinding').sort());
    });

    it.each(cases)('%s: the discipline inspector is read-only', (type, given, data) => {
      spec.given(given).when(command(type, data as never, discipline, '2026-10-16 10:00')).thenThrows({
        kind: 'forbidden',
        rule: 'READ_ONLY_ROLE',
      });
    });

    it.each(cases)('%s: the administrator cannot sign on anyone\'s behalf', (type, given, data) => {
      spec.given(given).when(command(type, data as never, admin, '2026-10-16 10:00')).thenThrows({
        kind: 'forbidden',
        code: 'ADMIN_CANNOT_SIGN',
      });
    });
  });

  describe('a whole life', () => {
    it('record → dispatch → claim → plan → progress → submit → reject → submit → verify → reopen → submit → verify', () => {
      const steps: FindingCommand[] = [
        recordCommand(),
        command('DispatchFinding', { unitId: 'town-a', noticeNo: '郸巩督〔2026〕1号' }, supervisor, '2026-10-08 15:00'),
        command('ClaimFinding', {}, officialA, '2026-10-09 09:00'),
        command('SubmitRectificationPlan', { plan: 'p', measures: ['m'] }, officialA, '2026-10-09 10:00'),
        command('ReportProgress', { summary: 's', percent: 50, evidence: [] }, officialA, '2026-10-09 17:00'),
        command('SubmitRectification', { summary: 'done', evidence: ['e1'] }, officialA, '2026-10-12 10:00'),
        command('RejectRectification', { reason: '不到位' }, supervisor2, '2026-10-12 15:00'),
        command('SubmitRectification', { summary: 'done again', evidence: ['e2'] }, officialA, '2026-10-13 10:00'),
        command('VerifyRectification', {}, supervisor2, '2026-10-14 10:00'),
        command('ReopenFinding', { reason: '回头看' }, supervisor, '2026-12-15 10:00'),
        command('SubmitRectification', { summary: 'fixed', evidence: ['e3'] }, officialA, '2026-12-16 10:00'),
        command('VerifyRectification', {}, supervisor, '2026-12-17 10:00'),
      ];
      let state: FindingState = findingDecider.initialState();
      const log: FindingEvent[] = [];
      for (const c of steps) {
        const events = decide(c, state, ctx);
        log.push(...events);
        state = events.reduce(findingDecider.evolve, state);
      }
      expect(log.map((e) => e.type)).toEqual([
        'FindingRecorded',
        'FindingDispatched',
        'FindingClaimed',
        'RectificationPlanSubmitted',
        'ProgressReported',
        'RectificationSubmitted',
        'RectificationRejected',
        'RectificationSubmitted',
        'FindingClosed',
        'FindingReopened',
        'RectificationSubmitted',
        'FindingClosed',
      ]);
      expect(state).toMatchObject({ status: 'Closed', owner: officialA, verifiedBy: supervisor, recordedBy: inspector });
      // Every fact is signed and timed.
      for (const e of log) {
        expect(e.data.signedBy.userId).toBeTruthy();
        expect(e.data.at).toMatch(/Z$/);
      }
    });
  });
});
