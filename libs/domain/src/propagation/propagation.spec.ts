import { SYSTEM_ACTOR } from '../shared/actor';
import { deciderSpec } from '../testing/decider-spec';
import { actors, sh, testContext, utc } from '../testing/fixtures';
import { decideLaunch, type LaunchPropagation, type PropagationEvent, evolvePropagation, initialPropagationState } from './propagation';
import { type AttestSelfCheck, type ClaimSelfCheck, selfCheckDecider, type SelfCheckEvent } from './self-check';

const { supervisor, officialA, officialA2, officialB, inspector, discipline, admin } = actors;
const ctx = testContext();

const launch = (over: Partial<LaunchPropagation['data']> = {}, actor = supervisor, local = '2026-10-09 10:00'): LaunchPropagation => ({
  type: 'LaunchPropagation',
  data: {
    propagationId: 'p1',
    campaignId: 'c1',
    origin: { kind: 'finding', findingId: 'f1' },
    scope: 'chosen',
    unitIds: ['town-a', 'dept-b'],
    instruction: '对照该问题自查本单位危房改造资金拨付',
    deadlineWorkdays: 5,
    ...over,
  },
  metadata: { now: sh(local), actor },
});

const launchIn = (command: LaunchPropagation, given: PropagationEvent[] = []) =>
  decideLaunch(command, given.reduce(evolvePropagation, initialPropagationState()), ctx);

const requested = (unitId: string): SelfCheckEvent => ({
  type: 'SelfCheckRequested',
  data: {
    propagationId: 'p1',
    campaignId: 'c1',
    unitId,
    origin: { kind: 'finding', findingId: 'f1' },
    instruction: '对照该问题自查本单位危房改造资金拨付',
    // Friday 9 October + 5 workdays on the shipped 2026 calendar, Saturday 10 October a make-up workday: Thursday 15.
    dueDate: '2026-10-15',
    deadlineAt: utc('2026-10-16 00:00'),
    signedBy: supervisor,
    at: utc('2026-10-09 10:00'),
  },
});

describe('举一反三: a supervisor launches a propagation', () => {
  it('opens one self-check task per unit, due N workdays later on the campaign calendar', () => {
    const decision = launchIn(launch());
    expect(decision.propagation).toEqual([
      {
        type: 'PropagationLaunched',
        data: {
          propagationId: 'p1', campaignId: 'c1', origin: { kind: 'finding', findingId: 'f1' }, scope: 'chosen', unitIds: ['town-a', 'dept-b'],
          instruction: '对照该问题自查本单位危房改造资金拨付', deadlineWorkdays: 5, dueDate: '2026-10-15', deadlineAt: utc('2026-10-16 00:00'),
          cappedByPhaseEnd: false, calendarVersion: 0, signedBy: supervisor, at: utc('2026-10-09 10:00'),
        },
      },
    ]);
    expect(decision.tasks).toEqual([
      { unitId: 'town-a', events: [requested('town-a')] },
      { unitId: 'dept-b', events: [requested('dept-b')] },
    ]);
  });

  it('a deadline past the phase end is capped by it', () => {
    const [launched] = launchIn(launch({ deadlineWorkdays: 30 }, supervisor, '2026-11-20 10:00')).propagation;
    expect(launched.data).toMatchObject({ dueDate: '2026-11-30', cappedByPhaseEnd: true });
  });

  it('only a supervisor launches it', () => {
    for (const [actor, rule] of [[inspector, 'ROLE_REQUIRED'], [officialA, 'ROLE_REQUIRED'], [discipline, 'READ_ONLY_ROLE'], [admin, 'ADMIN_CANNOT_SIGN']] as const) {
      expect(() => launchIn(launch({}, actor))).toThrow(expect.objectContaining({ kind: 'forbidden', rule }));
    }
  });

  it('bad input names the field', () => {
    const cases: Array<[Partial<LaunchPropagation['data']>, string]> = [
      [{ unitIds: [] }, 'unitIds'],
      [{ unitIds: ['town-a', 'town-a'] }, 'unitIds'],
      [{ deadlineWorkdays: 0 }, 'deadlineWorkdays'],
      [{ deadlineWorkdays: 2.5 }, 'deadlineWorkdays'],
      [{ instruction: ' ' }, 'instruction'],
      [{ campaignId: 'c2' }, 'campaignId'],
      [{ scope: 'everyone' as never }, 'scope'],
      [{ origin: { kind: 'rumour' } as never }, 'origin.kind'],
      [{ origin: { kind: 'finding', findingId: '' } }, 'origin.findingId'],
    ];
    for (const [over, field] of cases) {
      expect(() => launchIn(launch(over))).toThrow(expect.objectContaining({ kind: 'invalid_input', field }));
    }
  });

  it('once', () => {
    const first = launchIn(launch()).propagation;
    expect(() => launchIn(launch(), first)).toThrow(expect.objectContaining({ kind: 'invalid_state', code: 'PROPAGATION_ALREADY_LAUNCHED' }));
  });
});

const spec = deciderSpec(selfCheckDecider, ctx);
const claim = (actor = officialA, local = '2026-10-12 09:00'): ClaimSelfCheck => ({ type: 'ClaimSelfCheck', data: {}, metadata: { now: sh(local), actor } });
const claimed = (actor = officialA, local = '2026-10-12 09:00'): SelfCheckEvent => ({
  type: 'SelfCheckClaimed',
  data: { propagationId: 'p1', unitId: 'town-a', signedBy: actor, at: utc(local) },
});
const noneFound = (actor = officialA, local = '2026-10-14 16:00', over: Partial<{ checked: string; evidence: string[] }> = {}): AttestSelfCheck => ({
  type: 'AttestSelfCheck',
  data: { outcome: 'none_found', checked: '逐户核对 2026 年危房改造资金拨付台账 312 户', evidence: ['a'.repeat(64)], ...over },
  metadata: { now: sh(local), actor },
});
const found = (findingIds: string[], actor = officialA, local = '2026-10-14 16:00'): AttestSelfCheck => ({
  type: 'AttestSelfCheck',
  data: { outcome: 'found', checked: '逐户核对拨付台账', evidence: [], findingIds },
  metadata: { now: sh(local), actor },
});

describe('自查: an official of the unit claims the task', () => {
  it('claims it and owns it', () => {
    spec.given([requested('town-a')]).when(claim()).then([claimed()]);
  });

  it('only an official of that unit, only once', () => {
    spec.given([requested('town-a')]).when(claim(officialB)).thenThrows({ kind: 'forbidden', code: 'NOT_YOUR_UNIT', rule: 'UNIT_SCOPE' });
    spec.given([requested('town-a')]).when(claim(supervisor)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
    spec.given([requested('town-a')]).when(claim(discipline)).thenThrows({ kind: 'forbidden', rule: 'READ_ONLY_ROLE' });
    spec.given([requested('town-a'), claimed()]).when(claim(officialA2)).thenThrows({ kind: 'invalid_state', code: 'SELF_CHECK_ALREADY_CLAIMED' });
  });

  it('a unit that was not asked has no task', () => {
    spec.given([]).when(claim()).thenThrows({ kind: 'not_found', code: 'SELF_CHECK_NOT_FOUND' });
  });
});

describe('自查: the claimant signs the attestation', () => {
  it('"checked, none found": what was checked and the evidence', () => {
    spec.given([requested('town-a'), claimed()]).when(noneFound()).then([
      {
        type: 'SelfCheckAttested',
        data: {
          propagationId: 'p1', unitId: 'town-a', outcome: 'none_found', checked: '逐户核对 2026 年危房改造资金拨付台账 312 户',
          evidence: ['a'.repeat(64)], findingIds: [], late: false, signedBy: officialA, at: utc('2026-10-14 16:00'),
        },
      },
    ]);
  });

  it('"found n" names the findings recorded; after the deadline it is late', () => {
    const [attested] = spec.given([requested('town-a'), claimed()]).when(found(['sf-1', 'sf-2'], officialA, '2026-10-19 09:00')).thenEvents();
    expect(attested.data).toMatchObject({ outcome: 'found', findingIds: ['sf-1', 'sf-2'], late: true });
  });

  it('only the claimant, after the claim, once', () => {
    spec.given([requested('town-a'), claimed()]).when(noneFound(officialA2)).thenThrows({ kind: 'forbidden', code: 'NOT_CLAIMANT', rule: 'SIGNER_OWNS_IT' });
    spec.given([requested('town-a'), claimed()]).when(noneFound(officialB)).thenThrows({ kind: 'forbidden', rule: 'UNIT_SCOPE' });
    spec.given([requested('town-a')]).when(noneFound()).thenThrows({ kind: 'invalid_state', code: 'SELF_CHECK_NOT_CLAIMED' });
    const attested = selfCheckDecider.decide(noneFound(), [requested('town-a'), claimed()].reduce(selfCheckDecider.evolve, selfCheckDecider.initialState()));
    spec.given([requested('town-a'), claimed(), ...attested]).when(noneFound()).thenThrows({ kind: 'invalid_state', code: 'SELF_CHECK_ALREADY_ATTESTED' });
    spec.given([requested('town-a'), claimed()]).when(noneFound(SYSTEM_ACTOR)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
  });

  it('bad input names the field', () => {
    spec.given([requested('town-a'), claimed()]).when(noneFound(officialA, '2026-10-14 16:00', { checked: '' })).thenThrows({ kind: 'invalid_input', field: 'checked' });
    spec.given([requested('town-a'), claimed()]).when(noneFound(officialA, '2026-10-14 16:00', { evidence: [''] })).thenThrows({ kind: 'invalid_input', field: 'evidence' });
    spec.given([requested('town-a'), claimed()]).when(found([])).thenThrows({ kind: 'invalid_input', field: 'findingIds' });
    spec.given([requested('town-a'), claimed()]).when(found(['sf-1', 'sf-1'])).thenThrows({ kind: 'invalid_input', code: 'DUPLICATE_FINDINGS' });
    const odd = { ...noneFound(), data: { outcome: 'maybe', checked: 'x', evidence: [] } } as unknown as AttestSelfCheck;
    spec.given([requested('town-a'), claimed()]).when(odd).thenThrows({ kind: 'invalid_input', field: 'outcome' });
  });
});
