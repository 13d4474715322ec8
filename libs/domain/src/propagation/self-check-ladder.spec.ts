import { SYSTEM_ACTOR } from '../shared/actor';
import { deciderSpec } from '../testing/decider-spec';
import { actors, sh, testContext, utc } from '../testing/fixtures';
import {
  type AcknowledgeSelfCheckEscalation,
  type AttestSelfCheck,
  type EscalateSelfCheck,
  type MarkSelfCheckOverdue,
  planSelfCheckTimers,
  selfCheckDecider,
  type SelfCheckEvent,
} from './self-check';

/**
 * A missing attestation climbs the campaign's ladder (通报 → 约谈 → 问责) as a finding's overdue rectification does, on
 * the shipped 2026 calendar with the default policy (interview 3 workdays after the due date, referral 5 after that).
 */
const { supervisor, officialA } = actors;
const ctx = testContext();
const spec = deciderSpec(selfCheckDecider, ctx);

const requested: SelfCheckEvent = {
  type: 'SelfCheckRequested',
  data: {
    propagationId: 'p1',
    campaignId: 'c1',
    unitId: 'town-a',
    origin: { kind: 'finding', findingId: 'f1' },
    instruction: '对照该问题自查本单位危房改造资金拨付',
    dueDate: '2026-10-15',
    deadlineAt: utc('2026-10-16 00:00'),
    signedBy: supervisor,
    at: utc('2026-10-09 10:00'),
  },
};
const claimed: SelfCheckEvent = {
  type: 'SelfCheckClaimed',
  data: { propagationId: 'p1', unitId: 'town-a', signedBy: officialA, at: utc('2026-10-12 09:00') },
};
const overdue = (local: string, actor = SYSTEM_ACTOR): MarkSelfCheckOverdue => ({ type: 'MarkSelfCheckOverdue', data: {}, metadata: { now: sh(local), actor } });
const escalate = (level: 'interview' | 'accountability', local: string, actor = SYSTEM_ACTOR): EscalateSelfCheck => ({
  type: 'EscalateSelfCheck',
  data: { level },
  metadata: { now: sh(local), actor },
});
const noneFound = (local: string): AttestSelfCheck => ({
  type: 'AttestSelfCheck',
  data: { outcome: 'none_found', checked: '逐户核对拨付台账', evidence: [] },
  metadata: { now: sh(local), actor: officialA },
});
const fold = (events: SelfCheckEvent[]) => events.reduce(selfCheckDecider.evolve, selfCheckDecider.initialState());
const decide = (events: SelfCheckEvent[], command: Parameters<typeof selfCheckDecider.decide>[0]) => selfCheckDecider.decide(command, fold(events), ctx);

const claimant = { person: officialA, unitId: 'town-a', step: 'SelfCheckClaimed' as const, stepSignedAt: utc('2026-10-12 09:00') };

describe('自查: a missing attestation at the deadline', () => {
  it('is recorded against the claimant at the deadline instant, with the notice (通报) and the interview date', () => {
    spec.given([requested, claimed]).when(overdue('2026-10-16 00:00')).then([
      {
        type: 'SelfCheckOverdue',
        data: {
          propagationId: 'p1', unitId: 'town-a', dueDate: '2026-10-15', deadlineAt: utc('2026-10-16 00:00'),
          accountable: { person: officialA, unitId: 'town-a', step: 'SelfCheckClaimed' }, signedBy: SYSTEM_ACTOR, at: utc('2026-10-16 00:00'),
        },
      },
      {
        type: 'SelfCheckEscalated',
        data: {
          // Thursday 15 October + 3 workdays: Friday 16, Monday 19, Tuesday 20.
          propagationId: 'p1', unitId: 'town-a', level: 'notice', dueDate: '2026-10-15', accountable: claimant,
          nextLevel: 'interview', nextDueDate: '2026-10-20', nextDueAt: utc('2026-10-21 00:00'), calendarVersion: 0,
          signedBy: SYSTEM_ACTOR, at: utc('2026-10-16 00:00'),
        },
      },
    ]);
  });

  it('unclaimed, the unit answers, resting on the request (as an unclaimed dispatch does for a finding)', () => {
    const [, notice] = spec.given([requested]).when(overdue('2026-10-16 09:00')).thenEvents();
    expect(notice.data).toMatchObject({ accountable: { person: null, unitId: 'town-a', step: 'SelfCheckRequested', stepSignedAt: utc('2026-10-09 10:00') } });
  });

  it('is moot before the deadline, once attested, once recorded; only the system records it', () => {
    spec.given([requested, claimed]).when(overdue('2026-10-15 23:59')).then([]);
    const attested = decide([requested, claimed], noneFound('2026-10-14 16:00'));
    spec.given([requested, claimed, ...attested]).when(overdue('2026-10-16 00:00')).then([]);
    const recorded = decide([requested], overdue('2026-10-16 00:00'));
    spec.given([requested, ...recorded]).when(overdue('2026-10-17 00:00')).then([]);
    spec.given([requested]).when(overdue('2026-10-16 00:00', supervisor)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
  });
});

describe('自查: the ladder (通报 → 约谈 → 问责) for a missing attestation', () => {
  const noticed = [requested, claimed, ...decide([requested, claimed], overdue('2026-10-16 00:00'))];

  it('climbs to the interview (约谈) at 24:00 of the 3rd workday after the due date, naming the referral date', () => {
    spec.given(noticed).when(escalate('interview', '2026-10-21 00:00')).then([
      {
        type: 'SelfCheckEscalated',
        data: {
          // Tuesday 20 October + 5 workdays: 21, 22, 23, 26, 27.
          propagationId: 'p1', unitId: 'town-a', level: 'interview', dueDate: '2026-10-15', accountable: claimant,
          nextLevel: 'accountability', nextDueDate: '2026-10-27', nextDueAt: utc('2026-10-28 00:00'), calendarVersion: 0,
          signedBy: SYSTEM_ACTOR, at: utc('2026-10-21 00:00'),
        },
      },
    ]);
  });

  it('then to the accountability referral (问责), the last rung', () => {
    const interviewed = [...noticed, ...decide(noticed, escalate('interview', '2026-10-21 00:00'))];
    const [referral] = spec.given(interviewed).when(escalate('accountability', '2026-10-28 00:00')).thenEvents();
    expect(referral.data).toMatchObject({ level: 'accountability', nextLevel: null, nextDueDate: null, nextDueAt: null, accountable: claimant });
    expect(planSelfCheckTimers(fold([...interviewed, referral]))).toEqual([]);
  });

  it('a rung before its instant, out of order, twice or by a person records nothing', () => {
    spec.given(noticed).when(escalate('interview', '2026-10-20 23:59')).then([]);
    spec.given(noticed).when(escalate('accountability', '2026-10-28 00:00')).then([]);
    const interviewed = [...noticed, ...decide(noticed, escalate('interview', '2026-10-21 00:00'))];
    spec.given(interviewed).when(escalate('interview', '2026-10-22 00:00')).then([]);
    spec.given(noticed).when(escalate('interview', '2026-10-21 00:00', supervisor)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
  });

  it('a late attestation stops the climb; the rungs already recorded stay', () => {
    const attested = decide(noticed, noneFound('2026-10-19 10:00'));
    expect(attested[0].data).toMatchObject({ late: true });
    spec.given([...noticed, ...attested]).when(escalate('interview', '2026-10-21 00:00')).then([]);
    expect(planSelfCheckTimers(fold([...noticed, ...attested]))).toEqual([]);
  });

  it('plans the deadline, then each rung as the last one recorded it', () => {
    expect(planSelfCheckTimers(fold([requested]))).toEqual([
      { key: `self_check_deadline:${utc('2026-10-16 00:00')}`, dueAt: utc('2026-10-16 00:00'), command: { type: 'MarkSelfCheckOverdue', data: {} } },
    ]);
    expect(planSelfCheckTimers(fold(noticed))).toEqual([
      {
        key: `self_check_escalate:interview:${utc('2026-10-16 00:00')}`,
        dueAt: utc('2026-10-21 00:00'),
        command: { type: 'EscalateSelfCheck', data: { level: 'interview' } },
      },
    ]);
    expect(planSelfCheckTimers(fold([]))).toEqual([]);
  });

  it('a task recorded overdue before the ladder covered self-checks (no notice rung) does not climb', () => {
    const legacy: SelfCheckEvent = {
      type: 'SelfCheckOverdue',
      data: {
        propagationId: 'p1', unitId: 'town-a', dueDate: '2026-10-15', deadlineAt: utc('2026-10-16 00:00'),
        accountable: { person: officialA, unitId: 'town-a', step: 'SelfCheckClaimed' }, signedBy: SYSTEM_ACTOR, at: utc('2026-10-16 00:00'),
      },
    };
    expect(planSelfCheckTimers(fold([requested, claimed, legacy]))).toEqual([]);
    spec.given([requested, claimed, legacy]).when(escalate('interview', '2026-10-21 00:00')).then([]);
  });

  it('the ladder needs the campaign (its calendar and rules)', () => {
    expect(() => selfCheckDecider.decide(overdue('2026-10-16 00:00'), fold([requested]))).toThrow(expect.objectContaining({ code: 'CAMPAIGN_CONTEXT_REQUIRED' }));
  });
});

describe('自查: a supervisor acknowledges a proposed rung (确认约谈/问责), as for a finding', () => {
  const noticed = [requested, claimed, ...decide([requested, claimed], overdue('2026-10-16 00:00'))];
  const interviewed = [...noticed, ...decide(noticed, escalate('interview', '2026-10-21 00:00'))];
  const ack = (level: 'interview' | 'accountability', actor = supervisor, note?: string): AcknowledgeSelfCheckEscalation => ({
    type: 'AcknowledgeSelfCheckEscalation',
    data: { level, note },
    metadata: { now: sh('2026-10-21 10:00'), actor },
  });

  it('signs that the interview goes ahead, naming whom it is about', () => {
    spec.given(interviewed).when(ack('interview', supervisor, '已约谈')).then([
      {
        type: 'SelfCheckEscalationAcknowledged',
        data: {
          propagationId: 'p1', unitId: 'town-a', level: 'interview', dueDate: '2026-10-15', accountable: claimant, note: '已约谈',
          signedBy: supervisor, at: utc('2026-10-21 10:00'),
        },
      },
    ]);
  });

  it('only a supervisor, only a rung proposed and not yet acknowledged, only interview or referral', () => {
    spec.given(interviewed).when(ack('interview', officialA)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
    spec.given(noticed).when(ack('interview')).thenThrows({ kind: 'invalid_state', code: 'NO_ESCALATION_TO_ACKNOWLEDGE' });
    spec.given(interviewed).when(ack('accountability')).thenThrows({ kind: 'invalid_state', code: 'NO_ESCALATION_TO_ACKNOWLEDGE' });
    const acked = decide(interviewed, ack('interview'));
    spec.given([...interviewed, ...acked]).when(ack('interview')).thenThrows({ kind: 'invalid_state', code: 'NO_ESCALATION_TO_ACKNOWLEDGE' });
    spec.given(interviewed).when({ ...ack('interview'), data: { level: 'notice' } } as unknown as AcknowledgeSelfCheckEscalation).thenThrows({ kind: 'invalid_input', field: 'level' });
    // Acknowledging does not stop the climb: the referral still falls at its date.
    expect(planSelfCheckTimers(fold([...interviewed, ...acked])).map((t) => t.command)).toEqual([{ type: 'EscalateSelfCheck', data: { level: 'accountability' } }]);
  });
});
