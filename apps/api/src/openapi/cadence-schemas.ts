import { BULLETIN_ITEM_KINDS } from '@duban/domain';
import { arrayOf, bool, int, localDate, nullable, num, obj, oneOf, ref, Schema, str } from './schema-dsl';

// What the published cadence reports carry (libs/domain/src/cadence/reports.ts): the content each report froze
// when it was published, plus the campaign policy the reports and deadlines follow.

const namedPerson = obj({ userId: str, name: str });
const bulletinCounts = {
  newFindings: int,
  dispatched: int,
  closed: int,
  overdue: int,
  missedProgressReports: int,
  missedInspectionReports: int,
  escalations: int,
};
const dispatchListItem = obj({
  findingId: str,
  townUnitId: nullable(str),
  severity: nullable(str),
  recordedAt: str,
  recordedBy: nullable(namedPerson),
  dueAt: str,
});
const unitMetrics = {
  unitId: str,
  unitName: str,
  activeFindings: int,
  dueFindings: int,
  closedOnTime: int,
  overdueFindingDays: int,
  missedDailyReports: int,
  reopensAfterLookBack: int,
  interviews: int,
  accountabilityReferrals: int,
  // From formula v2 on (举一反三 completeness); absent in months scored by v1.
  'selfChecksDue?': int,
  'selfChecksAttestedOnTime?': int,
};

export const CADENCE_SCHEMAS = {
  CampaignPolicy: obj({
    dispatchWithinWorkdays: int,
    claimWithinWorkdays: int,
    deadlineWorkdays: obj({ red: int, yellow: int, blue: int }),
    progressCutoff: str,
    inspectionCutoff: str,
    ladder: obj({ interviewAfterWorkdays: int, accountabilityAfterWorkdays: int }),
    verifyWithinWorkdays: int,
    lookBackAfterDays: int,
    maxExtensionWorkdays: int,
  }),
  DailyBulletinContent: obj({
    date: localDate,
    totals: obj(bulletinCounts),
    byUnit: arrayOf(obj({ unitId: str, unitName: str, ...bulletinCounts })),
    items: arrayOf(
      obj({
        kind: oneOf(BULLETIN_ITEM_KINDS),
        findingId: nullable(str),
        noticeNo: nullable(str),
        unitId: str,
        unitName: str,
        person: nullable(namedPerson),
        detail: str,
      }),
    ),
  }),
  DailyDispatchListContent: obj({
    date: localDate,
    flagged: arrayOf(dispatchListItem),
    pending: arrayOf(dispatchListItem),
    notices: arrayOf(obj({ noticeNo: str, sequence: int, unitId: nullable(str), findingCount: int, at: str })),
    lastNoticeSequence: int,
    noticeSequenceGapless: bool,
  }),
  WeeklyDispatchContent: obj({
    week: str,
    periodStart: localDate,
    periodEnd: localDate,
    rows: arrayOf(
      obj({
        unitId: str,
        unitName: str,
        open: int,
        dueThisWeek: int,
        overdue: int,
        escalated: int,
        previousOverdueWeeks: int,
        overdueWeeks: int,
        chronicOverdue: bool,
      }),
    ),
    interviewList: arrayOf(obj({ unitId: str, unitName: str, overdue: int, overdueWeeks: int })),
  }),
  MonthlyReviewContent: obj({
    month: str,
    formulaVersion: str,
    formula: ref('ScoringFormula'),
    units: arrayOf(
      obj({
        ...unitMetrics,
        onTimeClosureRate: nullable(num),
        'selfCheckCompleteness?': nullable(num),
        score: num,
        rank: nullable(int),
        ranked: bool,
        commended: bool,
        namedLast: bool,
        note: nullable(str),
      }),
    ),
    commended: arrayOf(str),
    namedLast: arrayOf(str),
  }),
} satisfies Record<string, Schema>;
