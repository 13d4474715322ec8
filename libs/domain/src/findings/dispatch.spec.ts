import { actors, sh, testCampaign, testContext } from '../testing/fixtures';
import { type CampaignState, decideCampaign, evolveCampaign, initialCampaignState } from '../campaigns/campaign';
import { decideDispatch } from './dispatch';
import { findingDecider } from './index';
import type { FindingState } from './types';

const { admin, supervisor, inspector, officialA } = actors;

const campaignWith = (notices: number, lifecycle: 'active' | 'ended' = 'active'): CampaignState => {
  const created = decideCampaign(
    { type: 'CreateCampaign', data: { ...testCampaign, policy: undefined }, metadata: { now: sh('2026-08-25 09:00'), actor: admin } },
    initialCampaignState(),
  );
  const state = created.reduce(evolveCampaign, initialCampaignState());
  return { ...(state as Extract<CampaignState, { status: 'Active' }>), lastNoticeSequence: notices, lifecycle };
};

const recorded = (findingId: string): FindingState =>
  findingDecider
    .decide(
      {
        type: 'RecordFinding',
        data: { findingId, campaignId: 'c1', source: 'household_inspection', categoryCode: '2.3', severity: 'yellow', townUnitId: 'town-a', description: '危房未改造', evidence: [] },
        metadata: { now: sh('2026-10-09 10:00'), actor: inspector },
      },
      findingDecider.initialState(),
      testContext(),
    )
    .reduce(findingDecider.evolve, findingDecider.initialState());

const dispatch = (actor = supervisor) =>
  ({ type: 'DispatchFinding', data: { unitId: 'town-a' }, metadata: { now: sh('2026-10-12 15:00'), actor } }) as const;

describe('decideDispatch 交办 under the campaign’s next notice number', () => {
  it('issues the next gapless number and dispatches every finding under it, together', () => {
    const decision = decideDispatch(campaignWith(6), [{ findingId: 'f1', state: recorded('f1') }, { findingId: 'f2', state: recorded('f2') }], dispatch());
    expect(decision.noticeNo).toBe('郸巩督〔2026〕7号');
    expect(decision.campaign).toEqual([
      expect.objectContaining({ type: 'DispatchNoticeIssued', data: expect.objectContaining({ sequence: 7, findingIds: ['f1', 'f2'] }) }),
    ]);
    expect(decision.findings.map((events) => events.map((e) => [e.type, (e.data as { noticeNo: string }).noticeNo]))).toEqual([
      [['FindingDispatched', '郸巩督〔2026〕7号']],
      [['FindingDispatched', '郸巩督〔2026〕7号']],
    ]);
  });

  it('numbers a reassignment too', () => {
    const dispatched = decideDispatch(campaignWith(0), [{ findingId: 'f1', state: recorded('f1') }], dispatch());
    const state = dispatched.findings[0].reduce(findingDecider.evolve, recorded('f1'));
    const decision = decideDispatch(campaignWith(1), [{ findingId: 'f1', state }], {
      type: 'ReassignFinding',
      data: { toUnitId: 'dept-b', reason: '属行业部门职责' },
      metadata: { now: sh('2026-10-20 11:00'), actor: supervisor },
    });
    expect(decision.findings[0]).toEqual([expect.objectContaining({ type: 'FindingReassigned', data: expect.objectContaining({ noticeNo: '郸巩督〔2026〕2号' }) })]);
  });

  it('refuses before any finding is decided when the campaign may not issue: ended, or the signer no supervisor', () => {
    const f = [{ findingId: 'f1', state: recorded('f1') }];
    expect(() => decideDispatch(campaignWith(3, 'ended'), f, dispatch())).toThrow(expect.objectContaining({ code: 'CAMPAIGN_ENDED' }));
    expect(() => decideDispatch(campaignWith(3), f, dispatch(officialA))).toThrow(expect.objectContaining({ code: 'ROLE_REQUIRED' }));
    expect(() => decideDispatch(initialCampaignState(), f, dispatch())).toThrow(expect.objectContaining({ code: 'CAMPAIGN_NOT_FOUND' }));
  });

  it('refuses the whole notice when one finding may not be dispatched', () => {
    const dispatched = decideDispatch(campaignWith(0), [{ findingId: 'f1', state: recorded('f1') }], dispatch());
    const already = dispatched.findings[0].reduce(findingDecider.evolve, recorded('f1'));
    expect(() =>
      decideDispatch(campaignWith(1), [{ findingId: 'f2', state: recorded('f2') }, { findingId: 'f1', state: already }], dispatch()),
    ).toThrow(expect.objectContaining({ code: 'FINDING_NOT_RECORDED' }));
  });
});
