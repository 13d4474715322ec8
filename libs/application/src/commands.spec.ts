import type { CampaignCommandRequest, FindingCommandRequest, InspectionCommandRequest } from './commands';

/**
 * The commands are typed from the domain's unions: the `@ts-expect-error` lines below are compile errors, and
 * `tsc --noEmit` (npm test runs it) fails if any of them ever compiles.
 */
describe('typed commands at the edge', () => {
  it('accept what the domain defines', () => {
    const claim: FindingCommandRequest = { type: 'ClaimFinding', findingId: 'f1', data: {} };
    const dispatch: FindingCommandRequest = { type: 'DispatchFinding', findingId: 'f1', data: { unitId: 'town-a' } };
    const pause: CampaignCommandRequest = { type: 'PauseCampaign', campaignId: 'c1', data: { reason: '汛期' } };
    const file: InspectionCommandRequest = {
      type: 'FileInspectionReport',
      data: { campaignId: 'c1', householdsVisited: 1, unitsVisited: 1, findingIds: [], summary: '走访' },
    };
    expect([claim.type, dispatch.type, pause.type, file.type]).toEqual(['ClaimFinding', 'DispatchFinding', 'PauseCampaign', 'FileInspectionReport']);
  });

  it('refuse a misspelt command, a missing field, a notice number a caller picked, and a command the campaign issues itself', () => {
    const refused = [
      // @ts-expect-error a typo in the command name
      { type: 'ClaimFindng', findingId: 'f1', data: {} } satisfies FindingCommandRequest,
      // @ts-expect-error RejectRectification needs a reason
      { type: 'RejectRectification', findingId: 'f1', data: {} } satisfies FindingCommandRequest,
      // @ts-expect-error the campaign numbers notices (decideDispatch), never the caller
      { type: 'DispatchFinding', findingId: 'f1', data: { unitId: 'town-a', noticeNo: '郸巩督〔2026〕9号' } } satisfies FindingCommandRequest,
      // @ts-expect-error a notice is issued only with a dispatch
      { type: 'IssueDispatchNotice', data: { findingIds: ['f1'] } } satisfies CampaignCommandRequest,
    ];
    expect(refused).toHaveLength(4);
  });
});
