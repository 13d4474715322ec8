import { SYSTEM_ACTOR } from '../shared/actor';
import { deciderSpec } from '../testing/decider-spec';
import { actors, sh, utc } from '../testing/fixtures';
import {
  type InspectionDayCommand,
  type InspectionDayContext,
  inspectionDayDecider,
  type InspectionDayEvent,
  inspectionDayStreamId,
  type RecordMissedInspectionReport,
} from './inspection-day';

const ctx: InspectionDayContext = { cutoffAt: utc('2026-10-12 18:00'), workday: true };
const spec = deciderSpec(inspectionDayDecider, ctx);
const restDay = deciderSpec(inspectionDayDecider, { cutoffAt: utc('2026-10-11 18:00'), workday: false });
const { inspector, supervisor, officialA, discipline } = actors;
const leader = { ...supervisor, unitId: 'team-1' };

const file = (local: string, over: Partial<Extract<InspectionDayCommand, { type: 'FileInspectionReport' }>['data']> = {}, actor = inspector): InspectionDayCommand => ({
  type: 'FileInspectionReport',
  data: { campaignId: 'c1', teamId: 'team-1', date: '2026-10-12', householdsVisited: 23, unitsVisited: 2, findingIds: ['f1', 'f2'], summary: '入户走访洺北街道三个村', ...over },
  metadata: { now: sh(local), actor },
});
const miss = (local: string, actor = SYSTEM_ACTOR): RecordMissedInspectionReport => ({
  type: 'RecordMissedInspectionReport',
  data: { campaignId: 'c1', teamId: 'team-1', date: '2026-10-12', leader },
  metadata: { now: sh(local), actor },
});

const filed = (local: string, late: boolean): InspectionDayEvent => ({
  type: 'InspectionReportFiled',
  data: {
    campaignId: 'c1', teamId: 'team-1', date: '2026-10-12', householdsVisited: 23, unitsVisited: 2, findingIds: ['f1', 'f2'],
    summary: '入户走访洺北街道三个村', late, cutoffAt: utc('2026-10-12 18:00'), signedBy: inspector, at: utc(local),
  },
});
const missed: InspectionDayEvent = {
  type: 'InspectionReportMissed',
  data: {
    campaignId: 'c1', teamId: 'team-1', date: '2026-10-12', cutoffAt: utc('2026-10-12 18:00'),
    accountable: { person: leader, unitId: 'team-1', role: 'team_leader' }, signedBy: SYSTEM_ACTOR, at: utc('2026-10-12 18:00'),
  },
};

describe('日督查: a team files its daily report', () => {
  it('a team member signs it before the cutoff', () => {
    spec.given([]).when(file('2026-10-12 17:40')).then([filed('2026-10-12 17:40', false)]);
  });

  it('after the cutoff it is late, and a missed record already there stays', () => {
    spec.given([missed]).when(file('2026-10-12 21:00')).then([filed('2026-10-12 21:00', true)]);
  });

  it('once per day', () => {
    spec.given([filed('2026-10-12 17:40', false)]).when(file('2026-10-12 17:50')).thenThrows({ kind: 'invalid_state', code: 'INSPECTION_REPORT_ALREADY_FILED' });
  });

  it('only for the signer’s own team, only by a team member', () => {
    spec.given([]).when(file('2026-10-12 17:40', { teamId: 'team-2' })).thenThrows({ kind: 'forbidden', code: 'OWN_TEAM_ONLY', rule: 'UNIT_SCOPE' });
    spec.given([]).when(file('2026-10-12 17:40', {}, { ...officialA, unitId: 'team-1' })).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
    spec.given([]).when(file('2026-10-12 17:40', {}, discipline)).thenThrows({ kind: 'forbidden', rule: 'READ_ONLY_ROLE' });
  });

  it('bad input names the field', () => {
    spec.given([]).when(file('2026-10-12 17:40', { householdsVisited: -1 })).thenThrows({ kind: 'invalid_input', field: 'householdsVisited' });
    spec.given([]).when(file('2026-10-12 17:40', { unitsVisited: 1.5 })).thenThrows({ kind: 'invalid_input', field: 'unitsVisited' });
    spec.given([]).when(file('2026-10-12 17:40', { findingIds: ['f1', 'f1'] })).thenThrows({ kind: 'invalid_input', code: 'DUPLICATE_FINDINGS' });
    spec.given([]).when(file('2026-10-12 17:40', { summary: ' ' })).thenThrows({ kind: 'invalid_input', field: 'summary' });
    spec.given([]).when(file('2026-10-12 17:40', { date: '2026-10-13' })).thenThrows({ kind: 'invalid_input', code: 'REPORT_DATE_IN_FUTURE' });
    spec.given([]).when(file('2026-10-12 17:40', { date: '2026-13-01' })).thenThrows({ kind: 'invalid_input', field: 'date' });
  });
});

describe('日督查: the cutoff records a missing report against the team leader', () => {
  it('at the cutoff, when nothing was filed', () => {
    spec.given([]).when(miss('2026-10-12 18:00')).then([missed]);
  });

  it('is moot once filed, once recorded, before the cutoff, or on a rest day', () => {
    spec.given([filed('2026-10-12 17:40', false)]).when(miss('2026-10-12 18:00')).then([]);
    spec.given([missed]).when(miss('2026-10-12 18:00')).then([]);
    spec.given([]).when(miss('2026-10-12 17:59')).then([]);
    restDay.given([]).when({ ...miss('2026-10-11 18:00'), data: { campaignId: 'c1', teamId: 'team-1', date: '2026-10-11', leader } }).then([]);
  });

  it('a team with no leader on record answers as a team', () => {
    const events = spec.given([]).when({ ...miss('2026-10-12 18:00'), data: { campaignId: 'c1', teamId: 'team-1', date: '2026-10-12', leader: null } }).thenEvents();
    expect(events[0].data).toMatchObject({ accountable: { person: null, unitId: 'team-1', role: 'team_leader' } });
  });

  it('a paused or ended campaign enforces no cutoff, and an ended one takes no report', () => {
    deciderSpec(inspectionDayDecider, { ...ctx, campaignLifecycle: 'paused' }).given([]).when(miss('2026-10-12 18:00')).then([]);
    deciderSpec(inspectionDayDecider, { ...ctx, campaignLifecycle: 'ended' }).given([]).when(miss('2026-10-12 18:00')).then([]);
    deciderSpec(inspectionDayDecider, { ...ctx, campaignLifecycle: 'ended' }).given([]).when(file('2026-10-12 17:40')).thenThrows({ kind: 'invalid_state', code: 'CAMPAIGN_ENDED' });
    deciderSpec(inspectionDayDecider, { ...ctx, campaignLifecycle: 'paused' }).given([]).when(file('2026-10-12 17:40')).then([filed('2026-10-12 17:40', false)]);
  });

  it('only the system records it', () => {
    spec.given([]).when(miss('2026-10-12 18:00', supervisor)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
  });

  it('one stream per campaign, team and day', () => {
    expect(inspectionDayStreamId('c1', 'team-1', '2026-10-12')).toBe('inspection-c1-team-1-2026-10-12');
  });
});
