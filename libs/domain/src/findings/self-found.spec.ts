import { type CampaignState, decideCampaign, evolveCampaign, initialCampaignState } from '../campaigns/campaign';
import type { Actor } from '../shared/actor';
import { actors, sh, testCampaign, testContext } from '../testing/fixtures';
import { decideDispatch } from './dispatch';
import { findingDecider } from './index';
import type { FindingState } from './types';

const { admin, supervisor, inspector, officialA, officialB } = actors;
const link = { propagationId: 'p1', unitId: 'town-a', originFindingId: 'f0' };

const campaign = (): CampaignState =>
  decideCampaign(
    { type: 'CreateCampaign', data: { ...testCampaign, policy: undefined }, metadata: { now: sh('2026-08-25 09:00'), actor: admin } },
    initialCampaignState(),
  ).reduce(evolveCampaign, initialCampaignState());

const record = (actor: Actor, propagatedFrom?: unknown) =>
  findingDecider.decide(
    {
      type: 'RecordFinding',
      data: {
        findingId: 'sf-1', campaignId: 'c1', source: 'self_inspection', categoryCode: '2.3', severity: 'yellow', townUnitId: 'town-a',
        description: '自查发现：一户危房改造资金未拨付', evidence: [], ...(propagatedFrom !== undefined ? { propagatedFrom: propagatedFrom as never } : {}),
      },
      metadata: { now: sh('2026-10-14 15:00'), actor },
    },
    findingDecider.initialState(),
    testContext(),
  );

const selfFound = (): FindingState => record(officialA, link).reduce(findingDecider.evolve, findingDecider.initialState());
const dispatch = (actor: Actor, unitId = 'town-a') =>
  ({ type: 'DispatchFinding', data: { unitId }, metadata: { now: sh('2026-10-14 15:00'), actor } }) as const;

describe('举一反三: a problem a unit found itself', () => {
  it('is recorded by the unit’s official, linked to the propagation and the origin', () => {
    const [recorded] = record(officialA, link);
    expect(recorded).toMatchObject({ type: 'FindingRecorded', data: { propagatedFrom: link, signedBy: officialA } });
    expect(selfFound()).toMatchObject({ status: 'Recorded', propagatedFrom: link });
  });

  it('only for the official’s own unit; without the link an official records nothing', () => {
    expect(() => record(officialB, link)).toThrow(expect.objectContaining({ kind: 'forbidden', code: 'NOT_YOUR_UNIT' }));
    expect(() => record(officialA)).toThrow(expect.objectContaining({ kind: 'forbidden', rule: 'ROLE_REQUIRED' }));
    expect(() => record(inspector, link)).toThrow(expect.objectContaining({ kind: 'forbidden', rule: 'ROLE_REQUIRED' }));
    expect(() => record(officialA, { propagationId: 'p1' })).toThrow(expect.objectContaining({ kind: 'invalid_input', field: 'propagatedFrom.unitId' }));
  });

  it('goes to that unit at once under a notice number, on its own official’s signature', () => {
    const decision = decideDispatch(campaign(), [{ findingId: 'sf-1', state: selfFound() }], dispatch(officialA));
    expect(decision.campaign).toEqual([expect.objectContaining({ type: 'DispatchNoticeIssued', data: expect.objectContaining({ signedBy: officialA }) })]);
    expect(decision.findings[0]).toEqual([expect.objectContaining({ type: 'FindingDispatched', data: expect.objectContaining({ unitId: 'town-a' }) })]);
  });

  it('the official may not send it to another unit, nor dispatch any other finding', () => {
    expect(() => decideDispatch(campaign(), [{ findingId: 'sf-1', state: selfFound() }], dispatch(officialA, 'dept-b'))).toThrow(
      expect.objectContaining({ kind: 'forbidden', rule: 'ROLE_REQUIRED' }),
    );
    const ordinary = record(inspector).reduce(findingDecider.evolve, findingDecider.initialState());
    expect(() => decideDispatch(campaign(), [{ findingId: 'sf-1', state: ordinary }], dispatch(officialA))).toThrow(
      expect.objectContaining({ kind: 'forbidden', rule: 'ROLE_REQUIRED' }),
    );
    // A supervisor still dispatches it wherever the county decides.
    expect(decideDispatch(campaign(), [{ findingId: 'sf-1', state: selfFound() }], dispatch(supervisor, 'dept-b')).noticeNo).toBeTruthy();
  });
});
