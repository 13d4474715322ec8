import type { OfficialCalendarData } from '../calendar/official-data';
import { calendarFor } from '../campaigns/deadline';
import { type CampaignEvent, type CampaignState, decideCampaign, type DispatchNoticeIssued } from '../campaigns/campaign';
import type { CommandMetadata } from '../shared/messages';
import { decide } from './decide';
import type { DispatchFinding, FindingContext, FindingEvent, FindingState, ReassignFinding } from './types';

/** A dispatch or a reassignment as a person asks for it: the notice number is the campaign's to give, not theirs. */
export type DispatchCommand =
  | { type: 'DispatchFinding'; data: Omit<DispatchFinding['data'], 'noticeNo'>; metadata: CommandMetadata }
  | { type: 'ReassignFinding'; data: Omit<ReassignFinding['data'], 'noticeNo'>; metadata: CommandMetadata };

export interface DispatchDecision {
  noticeNo: string;
  /** The campaign's DispatchNoticeIssued: appended with the findings' events in one atomic write. */
  campaign: CampaignEvent[];
  /** Each finding's events, in the order the findings were given. */
  findings: FindingEvent[][];
}

/**
 * 交办 / 改派 under a numbered notice: the campaign issues its next gapless number for these findings and every finding
 * is dispatched (or reassigned) under it — one decision over both aggregates, so the number and the findings' events
 * can only be appended together. The campaign decides first (signer's role, campaign ended), then each finding.
 */
export const decideDispatch = (
  campaign: CampaignState,
  findings: ReadonlyArray<{ findingId: string; state: FindingState }>,
  command: DispatchCommand,
  /** The official calendar in force (shipped + published notices); absent, the shipped data alone. */
  official?: OfficialCalendarData,
): DispatchDecision => {
  const unitId = command.type === 'DispatchFinding' ? command.data.unitId : command.data.toUnitId;
  const selfFound = findings.every((f) => f.state.status !== 'Empty' && f.state.propagatedFrom?.unitId === unitId);
  const issued = decideCampaign(
    {
      type: 'IssueDispatchNotice',
      data: { findingIds: findings.map((f) => f.findingId), ...(selfFound && findings.length ? { selfFoundBy: unitId } : {}) },
      metadata: command.metadata,
    },
    campaign,
  );
  const noticeNo = (issued[0] as DispatchNoticeIssued).data.noticeNo;
  // decideCampaign has refused an Empty campaign above.
  const settings = (campaign as Extract<CampaignState, { status: 'Active' }>).settings;
  const ctx: FindingContext = { campaign: settings, calendar: calendarFor(settings, official) };
  const numbered = { ...command, data: { ...command.data, noticeNo } } as DispatchFinding | ReassignFinding;
  return { noticeNo, campaign: issued, findings: findings.map((f) => decide(numbered, f.state, ctx)) };
};
