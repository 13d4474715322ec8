import fc from 'fast-check';
import { actors } from '@duban/domain/testing/fixtures';
import type { FindingCommand, FindingEvent, FindingState, TimerKind } from '@duban/domain/findings';
import { isDomainError } from '@duban/domain/shared/errors';
import type { Actor } from '@duban/domain/shared/actor';
import type { FindingDriver } from './harness';

// Random finding command sequences, shared by the rebuild property (projection == its own rebuild) and the ledger
// model property (projection == the domain's fold): one generator, so both see the same lifecycles.

export const COMMANDS: FindingCommand['type'][] = [
  'RecordFinding',
  'AmendFinding',
  'AnnulFinding',
  'DispatchFinding',
  'ClaimFinding',
  'SubmitRectificationPlan',
  'ReportProgress',
  'RequestExtension',
  'GrantExtension',
  'RefuseExtension',
  'SubmitRectification',
  'VerifyRectification',
  'RejectRectification',
  'ReassignFinding',
  'ReopenFinding',
  'AcknowledgeEscalation',
];
// Every finding event type; the first (hand-written) example alone produces each of them.
export const ALL_FINDING_EVENTS = [
  'FindingRecorded', 'FindingAmended', 'FindingAnnulled', 'FindingDispatched', 'FindingClaimed',
  'RectificationPlanSubmitted', 'ProgressReported', 'ExtensionRequested', 'ExtensionGranted', 'ExtensionRefused',
  'RectificationSubmitted', 'RectificationRejected', 'FindingClosed', 'FindingReassigned', 'FindingReopened',
  // Established by the finding's timers, and the supervisor's acknowledgement of a proposed rung.
  'DispatchOverdue', 'ClaimOverdue', 'DailyReportMissed', 'FindingOverdue', 'FindingEscalated', 'EscalationAcknowledged',
  'VerificationOverdue', 'LookBackDue',
];

export const CONSEQUENCE_EVENTS = [
  'DispatchOverdue', 'ClaimOverdue', 'DailyReportMissed', 'FindingOverdue', 'FindingEscalated', 'VerificationOverdue',
  'FindingReopened',
];

export type Step = {
  finding: number;
  type: FindingCommand['type'];
  who: number;
  pick: number;
  hours: number;
  project: number | null;
  /** 0 or 1: instead of a command, the finding's earliest planned timer fires (the clock moves to it). */
  tick: number;
  /** In hand-written steps: fire this timer rather than the earliest. */
  timer?: TimerKind;
};

/** who = 7: this exact command type, by the actor who may sign it. */
const explicit = (finding: number, type: FindingCommand['type'], pick = 0, project: number | null = 2): Step =>
  ({ finding, type, who: 7, pick, hours: 2, project, tick: 9 });
/** The finding's timer of this kind fires, as its workflow would. */
const fire = (finding: number, timer: TimerKind, project: number | null = 2): Step =>
  ({ finding, type: 'RecordFinding', who: 7, pick: 0, hours: 0, project, tick: 0, timer });
export const FULL_LIFECYCLE: Step[] = [
  explicit(0, 'RecordFinding', 1),
  // A real change (pick 2: the description; pick 1 would set the severity it already has, and be refused).
  explicit(0, 'AmendFinding', 2),
  explicit(1, 'RecordFinding', 2, null),
  fire(1, 'dispatch_sla'),
  explicit(0, 'DispatchFinding', 3),
  fire(0, 'claim_sla', null),
  explicit(0, 'ClaimFinding'),
  explicit(1, 'AnnulFinding', 0, null),
  fire(0, 'daily_report'),
  explicit(0, 'SubmitRectificationPlan', 1),
  explicit(0, 'ReportProgress', 5, null),
  fire(0, 'deadline', 3),
  fire(0, 'escalation', null),
  explicit(0, 'AcknowledgeEscalation', 1),
  explicit(0, 'RequestExtension', 1),
  explicit(0, 'GrantExtension', 1, 5),
  explicit(0, 'SubmitRectification', 2),
  fire(0, 'verification_sla'),
  explicit(0, 'RejectRectification', 1, null),
  explicit(0, 'SubmitRectification', 3),
  explicit(0, 'VerifyRectification', 0, 1),
  fire(0, 'look_back', 4),
  explicit(0, 'ReopenFinding'),
  explicit(0, 'RequestExtension', 2, null),
  explicit(0, 'RefuseExtension'),
  explicit(0, 'SubmitRectification', 4),
  explicit(0, 'ReassignFinding', 1, 3),
  explicit(0, 'ClaimFinding'),
  explicit(0, 'AmendFinding', 1),
];

export const UNITS = ['town-a', 'dept-b', 'town-c'];
/** A finding is recorded in a town: the write side refuses a department as `townUnitId` (UNKNOWN_UNIT). */
const TOWNS = UNITS.filter((u) => u.startsWith('town-'));
export const OFFICIALS: Actor[] = [actors.officialA, actors.officialA2, actors.officialB, { ...actors.officialB, userId: 'u-c1', name: '冯乡长', unitId: 'town-c' }];
export const SUPERVISORS: Actor[] = [actors.supervisor, actors.supervisor2];

export const step = fc.record({
  finding: fc.nat(2),
  type: fc.constantFrom(...COMMANDS),
  /** Mostly the actor who may act (so the lifecycle advances), sometimes anyone (so refusals happen too). */
  who: fc.nat(9),
  pick: fc.nat(99),
  hours: fc.integer({ min: 0, max: 16 }),
  /** Run the projections after this step, with this batch size (null: not yet). */
  project: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }),
  tick: fc.nat(9),
});

/** The command that moves the finding along its lifecycle from here, so long sequences reach every state. */
export function naturalNext(state: FindingState, pick: number): FindingCommand['type'] {
  const options: Record<string, FindingCommand['type'][]> = {
    Empty: ['RecordFinding'],
    Recorded: ['DispatchFinding', 'DispatchFinding', 'DispatchFinding', 'DispatchFinding', 'AmendFinding', 'AnnulFinding'],
    Dispatched: ['ClaimFinding', 'ClaimFinding', 'ClaimFinding', 'ClaimFinding', 'ReassignFinding', 'AnnulFinding'],
    InRectification: ['SubmitRectificationPlan', 'ReportProgress', 'ReportProgress', 'RequestExtension', 'SubmitRectification', 'SubmitRectification', 'ReassignFinding'],
    AwaitingVerification: ['VerifyRectification', 'VerifyRectification', 'RejectRectification', 'ReassignFinding'],
    Closed: ['ReopenFinding', 'AmendFinding'],
    Annulled: ['ReopenFinding'], // refused: nothing moves an annulled finding
  };
  if (state.status !== 'Empty' && state.pendingExtension && pick % 2) return pick % 4 === 1 ? 'RefuseExtension' : 'GrantExtension';
  if (state.status !== 'Empty' && state.unacknowledgedEscalations.length && pick % 3 === 0) return 'AcknowledgeEscalation';
  const list = options[state.status];
  return list[pick % list.length];
}

export function officialFor(state: FindingState, who: number, pick: number): Actor {
  if (who < 8 && state.status !== 'Empty') {
    if (state.owner) return state.owner;
    const ofUnit = OFFICIALS.filter((o) => o.unitId === state.unitId);
    if (ofUnit.length) return ofUnit[pick % ofUnit.length];
  }
  return OFFICIALS[pick % OFFICIALS.length];
}

export function commandData(type: FindingCommand['type'], findingId: string, state: FindingState, pick: number): unknown {
  switch (type) {
    case 'RecordFinding':
      return {
        findingId,
        campaignId: 'c1',
        source: 'household_inspection',
        categoryCode: ['1.1', '2.3', '3.2'][pick % 3],
        severity: (['red', 'yellow', 'blue'] as const)[pick % 3],
        townUnitId: TOWNS[pick % TOWNS.length],
        village: pick % 2 ? '李庄村' : undefined,
        description: `问题 ${findingId}`,
        evidence: pick % 2 ? [`rec-${pick}`] : [],
      };
    case 'AmendFinding':
      return pick % 2 ? { severity: (['red', 'yellow', 'blue'] as const)[pick % 3], reason: '等级更正' } : { description: `更正 ${pick}`, reason: '描述更正' };
    case 'AnnulFinding':
      return { reason: '重复登记' };
    case 'DispatchFinding':
      return { unitId: UNITS[pick % 3] };
    case 'ClaimFinding':
      return {};
    case 'SubmitRectificationPlan':
      return { plan: `方案 ${pick}`, measures: ['措施一', `措施${pick}`], plannedCompletionDate: pick % 2 ? '2026-11-20' : undefined };
    case 'ReportProgress':
      return { summary: `进展 ${pick}`, percent: pick % 3 ? pick : undefined, evidence: pick % 2 ? [`prog-${pick}`] : [] };
    case 'RequestExtension':
      return { workdays: 1 + (pick % 3), reason: '客观原因' };
    case 'GrantExtension':
      return pick % 2 ? { reason: '同意' } : {};
    case 'RefuseExtension':
      return { reason: '理由不充分' };
    case 'SubmitRectification':
      return { summary: `完成 ${pick}`, evidence: [`done-${pick}`] };
    case 'VerifyRectification':
      return {};
    case 'RejectRectification':
      return { reason: '佐证不足' };
    case 'ReassignFinding': {
      const current = state.status === 'Empty' ? null : state.unitId;
      const others = UNITS.filter((u) => u !== current);
      return { toUnitId: others[pick % others.length], reason: '职责调整' };
    }
    case 'ReopenFinding':
      return { reason: '回头看发现反弹' };
    case 'AcknowledgeEscalation': {
      const pending = state.status === 'Empty' ? [] : state.unacknowledgedEscalations;
      const level = pending.length ? pending[pick % pending.length].level : pick % 2 ? 'interview' : 'accountability';
      return { level, note: pick % 2 ? '已约谈' : undefined };
    }
    default:
      return {};
  }
}

export function actorFor(type: FindingCommand['type'], state: FindingState, who: number, pick: number): Actor {
  if (type === 'RecordFinding') return who < 9 ? actors.inspector : actors.supervisor;
  const official = ['ClaimFinding', 'SubmitRectificationPlan', 'ReportProgress', 'RequestExtension', 'SubmitRectification'];
  if (official.includes(type)) return officialFor(state, who, pick);
  return SUPERVISORS[pick % 2];
}


export interface Played {
  /** Steps that appended something (commands decided and timers fired). */
  applied: number;
  /** The clock after the last step: read models are queried "now" at it. */
  clock: number;
  /** Every event appended, per finding, in stream order. */
  events: Map<string, FindingEvent[]>;
}

/**
 * Plays steps against the driver as the API and the workflows would: a command (refused ones change nothing), or
 * the finding's planned timer firing at its instant. `afterStep(batchSize, eventsSoFar)` lets a caller project mid-sequence.
 */
export async function playSteps(
  driver: FindingDriver,
  steps: Step[],
  findingIds: string[],
  afterStep: (batchSize: number, events: Map<string, FindingEvent[]>) => Promise<unknown> = async () => undefined,
): Promise<Played> {
  let clock = Date.parse('2026-10-12T01:00:00.000Z');
  let applied = 0;
  const events = new Map<string, FindingEvent[]>(findingIds.map((id) => [id, []]));
  for (const s of steps) {
    clock += s.hours * 3600_000;
    const findingId = findingIds[s.finding];
    const state = driver.state(findingId);
    const timers = driver.timers(findingId);
    const due = 'timer' in s && s.timer ? timers.find((t) => t.kind === s.timer) : timers[0];
    if (s.tick < 2 && due) {
      // The workflow wakes at the timer's instant (or later, when the clock is already past it).
      clock = Math.max(clock, Date.parse(due.dueAt));
      const fired = await driver.fire(findingId, due.kind, new Date(clock).toISOString());
      if (fired.length === 0) throw new Error(`the ${due.kind} timer of ${findingId} appended nothing`);
      events.get(findingId)!.push(...fired);
      applied += 1;
      if (s.project !== null) await afterStep(s.project, events);
      continue;
    }
    if ('timer' in s && s.timer) throw new Error(`no ${s.timer} timer planned for ${findingId}`);
    const type = s.who < 7 ? naturalNext(state, s.pick) : s.type;
    try {
      const appended = await driver.exec(
        findingId,
        type,
        commandData(type, findingId, state, s.pick) as never,
        actorFor(type, state, s.who, s.pick),
        new Date(clock).toISOString(),
      );
      events.get(findingId)!.push(...appended);
      applied += 1;
    } catch (err) {
      if (!isDomainError(err)) throw err;
    }
    if (s.project !== null) await afterStep(s.project, events);
  }
  return { applied, clock, events };
}
