import { WorkdayCalendar } from '../calendar/workday-calendar';
import type { UnitMonthMetrics } from '../cadence/scoring';
import type { CampaignSettings } from '../campaigns/campaign';
import { DEFAULT_POLICY } from '../campaigns/policy';
import type { Actor } from '../shared/actor';

const actor = (userId: string, name: string, unitId: string, role: Actor['role']): Actor => ({
  userId,
  name,
  unitId,
  role,
});

export const actors = {
  inspector: actor('u-insp', '张督查', 'team-1', 'inspector'),
  supervisor: actor('u-sup1', '李组长', 'office', 'supervisor'),
  supervisor2: actor('u-sup2', '王主任', 'office', 'supervisor'),
  officialA: actor('u-a1', '赵镇长', 'town-a', 'unit_official'),
  officialA2: actor('u-a2', '钱副镇长', 'town-a', 'unit_official'),
  officialB: actor('u-b1', '孙局长', 'dept-b', 'unit_official'),
  discipline: actor('u-disc', '周纪检', 'discipline', 'discipline_inspector'),
  admin: actor('u-admin', '吴管理员', 'it', 'admin'),
} as const;

export const testCampaign: CampaignSettings = {
  campaignId: 'c1',
  name: '巩固拓展脱贫攻坚成果问题整改专项行动',
  noticePrefix: '郸巩督',
  phases: [
    { code: 'inspection', name: '排查', startDate: '2026-09-01', endDate: '2026-09-30' },
    { code: 'rectification', name: '集中整改', startDate: '2026-10-01', endDate: '2026-11-30' },
    { code: 'improvement', name: '提升', startDate: '2026-12-01', endDate: '2027-03-31' },
  ],
  policy: DEFAULT_POLICY,
  calendarOverrides: { restDays: [], workDays: [] },
};

export const testContext = () => ({
  campaign: testCampaign,
  calendar: new WorkdayCalendar(testCampaign.calendarOverrides),
});

/** '2026-10-08 15:00' in Shanghai → ISO instant with offset. */
export const sh = (local: string): string => `${local.replace(' ', 'T')}:00+08:00`;
/** The same instant normalised as events store it. */
export const utc = (local: string): string => new Date(sh(local)).toISOString();

/** A unit's month for the scoring formula; zero wherever the test does not say. */
export const unitMetrics = (unitId: string, unitName: string, over: Partial<UnitMonthMetrics> = {}): UnitMonthMetrics => ({
  unitId,
  unitName,
  activeFindings: 0,
  dueFindings: 0,
  closedOnTime: 0,
  overdueFindingDays: 0,
  missedDailyReports: 0,
  reopensAfterLookBack: 0,
  interviews: 0,
  accountabilityReferrals: 0,
  ...over,
});
