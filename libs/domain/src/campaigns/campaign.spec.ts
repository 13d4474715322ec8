import { WorkdayCalendar } from '../calendar/workday-calendar';
import { deciderSpec } from '../testing/decider-spec';
import { actors, sh, testCampaign, utc } from '../testing/fixtures';
import type { Actor } from '../shared/actor';
import {
  campaignDecider,
  campaignStreamId,
  reminderSettingsOf,
  type CampaignCommand,
  type CampaignEvent,
  type CreateCampaign,
} from './campaign';
import { calendarFor, deadlineFor } from './deadline';
import { phaseForCap, type CampaignPhase } from './phases';
import { DEFAULT_POLICY, resolvePolicy } from './policy';
import { DEFAULT_REMINDER_SETTINGS, type ReminderSettingsOverrides } from '../notifications/settings';

const spec = deciderSpec(
  { decide: (c: CampaignCommand, s, _ctx: undefined) => campaignDecider.decide(c, s), evolve: campaignDecider.evolve, initialState: campaignDecider.initialState },
  undefined,
);
const { admin, supervisor, inspector, discipline } = actors;

const phases: CampaignPhase[] = testCampaign.phases;

const create = (over: Partial<CreateCampaign['data']> = {}, actor: Actor = admin): CampaignCommand => ({
  type: 'CreateCampaign',
  data: { campaignId: 'c1', name: testCampaign.name, noticePrefix: '郸巩督', phases, ...over },
  metadata: { now: sh('2026-08-25 09:00'), actor },
});
const issue = (findingIds: string[], local: string, actor: Actor = supervisor): CampaignCommand => ({
  type: 'IssueDispatchNotice',
  data: { findingIds },
  metadata: { now: sh(local), actor },
});

const created: CampaignEvent = {
  type: 'CampaignCreated',
  data: {
    campaignId: 'c1',
    name: testCampaign.name,
    noticePrefix: '郸巩督',
    phases,
    policy: DEFAULT_POLICY,
    calendarOverrides: { restDays: [], workDays: [] },
    signedBy: admin,
    at: utc('2026-08-25 09:00'),
  },
};

describe('campaign decider', () => {
  it('stream id', () => {
    expect(campaignStreamId('c1')).toBe('campaign-c1');
  });

  describe('CreateCampaign', () => {
    it('an administrator creates a campaign; the full policy is recorded', () => {
      spec.given([]).when(create()).then([created]);
    });

    it('policy overrides are merged onto the defaults', () => {
      const [e] = spec
        .given([])
        .when(create({ policy: { deadlineWorkdays: { red: 2 }, progressCutoff: '17:00' }, calendarOverrides: { workDays: ['2026-10-03'] } }))
        .thenEvents();
      expect(e.type === 'CampaignCreated' && e.data.policy).toEqual({
        ...DEFAULT_POLICY,
        progressCutoff: '17:00',
        deadlineWorkdays: { red: 2, yellow: 10, blue: 20 },
      });
      expect(e.data).toMatchObject({ calendarOverrides: { restDays: [], workDays: ['2026-10-03'] } });
    });

    it('only once', () => {
      spec.given([created]).when(create()).thenThrows({ kind: 'invalid_state', code: 'CAMPAIGN_ALREADY_EXISTS' });
    });

    it('only an administrator', () => {
      spec.given([]).when(create({}, supervisor)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
      spec.given([]).when(create({}, discipline)).thenThrows({ kind: 'forbidden', rule: 'READ_ONLY_ROLE' });
    });

    it.each([
      ['no phases', { phases: [] }, 'PHASES_REQUIRED'],
      [
        'a gap between phases',
        { phases: [phases[0], { ...phases[1], startDate: '2026-10-02' }] },
        'PHASES_NOT_CONTIGUOUS',
      ],
      ['overlapping phases', { phases: [phases[0], { ...phases[1], startDate: '2026-09-30' }] }, 'PHASES_NOT_CONTIGUOUS'],
      ['out of order', { phases: [phases[1], phases[0]] }, 'PHASES_OUT_OF_ORDER'],
      ['end before start', { phases: [{ ...phases[0], endDate: '2026-08-01' }] }, 'PHASE_ENDS_BEFORE_START'],
      ['a bad date', { phases: [{ ...phases[0], endDate: '2026-09-31' }] }, 'INVALID_DATE'],
      ['no notice prefix', { noticePrefix: '' }, 'TEXT_REQUIRED'],
      ['a bad policy', { policy: { deadlineWorkdays: { red: 0 } } }, 'INVALID_POLICY'],
      ['a bad cutoff', { policy: { progressCutoff: '5pm' } }, 'INVALID_POLICY'],
      ['conflicting calendar days', { calendarOverrides: { restDays: ['2026-10-09'], workDays: ['2026-10-09'] } }, 'CALENDAR_OVERRIDE_CONFLICT'],
    ])('refuses %s', (_label, over, code) => {
      spec.given([]).when(create(over as Partial<CreateCampaign['data']>)).thenThrows({ kind: 'invalid_input', code });
    });

    // A policy is recorded in a signed event as given: its shape is checked key by key, not spread as it comes.
    it.each([
      ['a string for a map', { deadlineWorkdays: 'fast' }, 'policy.deadlineWorkdays'],
      ['an unknown severity', { deadlineWorkdays: { red: 3, purple: 9 } }, 'policy.deadlineWorkdays.purple'],
      ['a list for the ladder', { ladder: [1, 2] }, 'policy.ladder'],
      ['an unknown ladder rung', { ladder: { interviewAfterWorkdays: 2, reprimandAfterWorkdays: 1 } }, 'policy.ladder.reprimandAfterWorkdays'],
      ['an unknown key', { speed: 'fast' }, 'policy.speed'],
      ['a string for the policy', 'fast', 'policy'],
      ['a list for the policy', [3, 10, 20], 'policy'],
      ['null for the policy', null, 'policy'],
      ['a prototype key', JSON.parse('{"__proto__":{"red":1}}'), 'policy.__proto__'],
    ])('refuses a policy with %s, naming the field', (_label, policy, field) => {
      spec.given([]).when(create({ policy } as unknown as Partial<CreateCampaign['data']>)).thenThrows({ kind: 'invalid_input', code: 'INVALID_POLICY', field });
    });

    it('a campaign may skip a phase and defaults phase names', () => {
      const [e] = spec
        .given([])
        .when(create({ phases: [{ ...phases[0], name: '' }, { ...phases[2], startDate: '2026-10-01' }] }))
        .thenEvents();
      expect(e.type === 'CampaignCreated' && e.data.phases.map((p) => p.name)).toEqual(['排查', '提升']);
    });
  });

  describe('IssueDispatchNotice 督办通知书编号', () => {
    it('numbers notices per campaign, gapless, with the Shanghai year', () => {
      const first = spec.given([created]).when(issue(['f1', 'f2'], '2026-10-08 15:00')).then([
        {
          type: 'DispatchNoticeIssued',
          data: {
            campaignId: 'c1',
            noticeNo: '郸巩督〔2026〕1号',
            sequence: 1,
            year: 2026,
            findingIds: ['f1', 'f2'],
            signedBy: supervisor,
            at: utc('2026-10-08 15:00'),
          },
        },
      ]);
      const second = spec.given([created, ...first]).when(issue(['f3'], '2026-10-09 10:00')).thenEvents();
      expect(second[0].data).toMatchObject({ sequence: 2, noticeNo: '郸巩督〔2026〕2号' });
      // 2026-12-31T16:30Z is already 2027-01-01 in Shanghai; the sequence does not restart.
      const third = campaignDecider.decide(
        { type: 'IssueDispatchNotice', data: { findingIds: ['f4'] }, metadata: { now: '2026-12-31T16:30:00Z', actor: supervisor } },
        [created, ...first, ...second].reduce(campaignDecider.evolve, campaignDecider.initialState()),
      );
      expect(third[0].data).toMatchObject({ sequence: 3, year: 2027, noticeNo: '郸巩督〔2027〕3号' });
    });

    it('only a supervisor issues notices', () => {
      spec.given([created]).when(issue(['f1'], '2026-10-08 15:00', inspector)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
      spec.given([created]).when(issue(['f1'], '2026-10-08 15:00', admin)).thenThrows({ kind: 'forbidden', rule: 'ADMIN_CANNOT_SIGN' });
      spec.given([created]).when(issue(['f1'], '2026-10-08 15:00', discipline)).thenThrows({ kind: 'forbidden', rule: 'READ_ONLY_ROLE' });
    });

    it('needs findings, without duplicates, and an existing campaign', () => {
      spec.given([created]).when(issue([], '2026-10-08 15:00')).thenThrows({ kind: 'invalid_input', field: 'findingIds' });
      spec.given([created]).when(issue(['f1', 'f1'], '2026-10-08 15:00')).thenThrows({ kind: 'invalid_input', code: 'DUPLICATE_FINDINGS' });
      spec.given([]).when(issue(['f1'], '2026-10-08 15:00')).thenThrows({ kind: 'not_found', code: 'CAMPAIGN_NOT_FOUND' });
    });
  });
});

describe('deadlineFor', () => {
  const calendar = calendarFor(testCampaign);

  it('N workdays after t, not capped inside a long phase', () => {
    expect(deadlineFor(testCampaign, calendar, sh('2026-10-08 15:00'), 3)).toEqual({
      dueDate: '2026-10-12',
      deadlineAt: '2026-10-12T16:00:00.000Z',
      cappedByPhaseEnd: false,
      calendarVersion: 0,
    });
  });

  it('capped by the end of the phase containing t (inspection phase ends 09-30, then National Day)', () => {
    expect(deadlineFor(testCampaign, calendar, sh('2026-09-28 10:00'), 10)).toEqual({
      dueDate: '2026-09-30',
      deadlineAt: '2026-09-30T16:00:00.000Z',
      cappedByPhaseEnd: true,
      calendarVersion: 0,
    });
  });

  it('before the campaign, the first phase caps', () => {
    expect(deadlineFor(testCampaign, calendar, sh('2026-08-20 10:00'), 40)).toMatchObject({
      dueDate: '2026-09-30',
      cappedByPhaseEnd: true,
      calendarVersion: 0,
    });
    expect(phaseForCap(phases, '2026-08-20')?.code).toBe('inspection');
  });

  it('after the last phase, nothing caps', () => {
    expect(phaseForCap(phases, '2027-04-01')).toBeNull();
    expect(deadlineFor(testCampaign, calendar, sh('2027-04-01 10:00'), 3)).toMatchObject({ cappedByPhaseEnd: false, dueDate: '2027-04-06' });
  });

  it("uses the campaign's calendar overrides", () => {
    const withWorkingHoliday = { ...testCampaign, calendarOverrides: { restDays: [], workDays: ['2026-10-03'] } };
    const cal = calendarFor(withWorkingHoliday);
    expect(cal).toBeInstanceOf(WorkdayCalendar);
    expect(deadlineFor(withWorkingHoliday, cal, sh('2026-10-02 10:00'), 1).dueDate).toBe('2026-10-03');
    expect(deadlineFor(testCampaign, calendar, sh('2026-10-02 10:00'), 1).dueDate).toBe('2026-10-08');
  });

  it('the event hour does not matter', () => {
    const a = deadlineFor(testCampaign, calendar, sh('2026-10-08 00:01'), 5);
    const b = deadlineFor(testCampaign, calendar, sh('2026-10-08 23:59'), 5);
    expect(a).toEqual(b);
  });
});

describe('policy', () => {
  it('defaults match DESIGN.md', () => {
    expect(resolvePolicy()).toEqual({
      dispatchWithinWorkdays: 1,
      claimWithinWorkdays: 1,
      deadlineWorkdays: { red: 3, yellow: 10, blue: 20 },
      progressCutoff: '17:30',
      inspectionCutoff: '18:00',
      ladder: { interviewAfterWorkdays: 3, accountabilityAfterWorkdays: 5 },
      verifyWithinWorkdays: 3,
      lookBackAfterDays: 30,
      maxExtensionWorkdays: 10,
    });
  });
});

describe('campaign lifecycle: pause, resume, end', () => {
  const cmd = (type: 'PauseCampaign' | 'ResumeCampaign' | 'EndCampaign', actor: Actor = admin, reason = '县委统一部署'): CampaignCommand => ({
    type,
    data: { reason },
    metadata: { now: sh('2026-10-20 09:00'), actor },
  });
  const signed = { signedBy: admin, at: utc('2026-10-20 09:00') };
  const paused: CampaignEvent = { type: 'CampaignPaused', data: { campaignId: 'c1', reason: '县委统一部署', ...signed } };
  const ended: CampaignEvent = { type: 'CampaignEnded', data: { campaignId: 'c1', reason: '县委统一部署', ...signed } };

  it('an administrator pauses, resumes and ends, with a reason', () => {
    spec.given([created]).when(cmd('PauseCampaign')).then([paused]);
    spec.given([created, paused]).when(cmd('ResumeCampaign')).then([{ type: 'CampaignResumed', data: { campaignId: 'c1', reason: '县委统一部署', ...signed } }]);
    spec.given([created, paused]).when(cmd('EndCampaign')).then([ended]);
    expect([created, paused].reduce(campaignDecider.evolve, campaignDecider.initialState())).toMatchObject({ lifecycle: 'paused' });
  });

  it('refuses transitions that make no sense', () => {
    spec.given([created, paused]).when(cmd('PauseCampaign')).thenThrows({ kind: 'invalid_state', code: 'CAMPAIGN_ALREADY_PAUSED' });
    spec.given([created]).when(cmd('ResumeCampaign')).thenThrows({ kind: 'invalid_state', code: 'CAMPAIGN_NOT_PAUSED' });
    spec.given([created, ended]).when(cmd('ResumeCampaign')).thenThrows({ kind: 'invalid_state', code: 'CAMPAIGN_ENDED' });
    spec.given([]).when(cmd('PauseCampaign')).thenThrows({ kind: 'not_found', code: 'CAMPAIGN_NOT_FOUND' });
    spec.given([created]).when(cmd('PauseCampaign', admin, ' ')).thenThrows({ kind: 'invalid_input', field: 'reason' });
    spec.given([created]).when(cmd('EndCampaign', supervisor)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
  });

  it('no notice is issued under an ended campaign', () => {
    spec.given([created, ended]).when(issue(['f1'], '2026-10-21 09:00')).thenThrows({ kind: 'invalid_state', code: 'CAMPAIGN_ENDED' });
  });
});

describe('提醒设置 per campaign: digest hour, quiet hours, which reminders', () => {
  const change = (settings: ReminderSettingsOverrides, actor: Actor = admin): CampaignCommand => ({
    type: 'ChangeReminderSettings',
    data: { settings },
    metadata: { now: sh('2026-10-20 09:00'), actor },
  });
  const signed = { signedBy: admin, at: utc('2026-10-20 09:00') };
  const later = { ...DEFAULT_REMINDER_SETTINGS, digestAt: '09:15', enabled: ['due_tomorrow', 'rung_tomorrow', 'digest'] } as const;
  const changed: CampaignEvent = { type: 'ReminderSettingsChanged', data: { campaignId: 'c1', settings: { ...later, enabled: [...later.enabled], quietHours: { ...later.quietHours } }, ...signed } };

  it('given a campaign created before reminder settings existed, then its people get the defaults', () => {
    const state = [created].reduce(campaignDecider.evolve, campaignDecider.initialState());
    expect(reminderSettingsOf(state)).toEqual(DEFAULT_REMINDER_SETTINGS);
  });

  it('when an administrator sets the digest hour and switches the morning report reminder off, then the whole settings are recorded', () => {
    spec.given([created]).when(change({ digestAt: '09:15', enabled: ['due_tomorrow', 'rung_tomorrow', 'digest'] })).then([changed]);
    expect(reminderSettingsOf([created, changed].reduce(campaignDecider.evolve, campaignDecider.initialState()))).toMatchObject({ digestAt: '09:15', remindAt: '09:00' });
  });

  it('given the same settings already in force, then nothing is recorded', () => {
    spec.given([created, changed]).when(change({ digestAt: '09:15', enabled: ['due_tomorrow', 'rung_tomorrow', 'digest'] })).then([]);
  });

  it('refuses a digest hour in the quiet hours (naming it), a non-admin, an unknown or ended campaign', () => {
    spec.given([created]).when(change({ digestAt: '22:00' })).thenThrows({ kind: 'invalid_input', code: 'INVALID_REMINDER_SETTINGS', field: 'digestAt' });
    spec.given([created]).when(change({ digestAt: '09:00' }, supervisor)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
    spec.given([]).when(change({ digestAt: '09:00' })).thenThrows({ kind: 'not_found', code: 'CAMPAIGN_NOT_FOUND' });
    const ended: CampaignEvent = { type: 'CampaignEnded', data: { campaignId: 'c1', reason: '结束', ...signed } };
    spec.given([created, ended]).when(change({ digestAt: '09:00' })).thenThrows({ kind: 'invalid_state', code: 'CAMPAIGN_ENDED' });
  });
});
