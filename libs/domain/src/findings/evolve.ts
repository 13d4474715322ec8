import { shanghaiDateOf, startOfShanghaiDay } from '../shared/local-date';
import type { Finding, FindingEvent, FindingState } from './types';

export const initialState = (): FindingState => ({ status: 'Empty' });

/**
 * Folds one fact into the state. Never throws: a stored event is history, even if today's rules would
 * refuse it; an event before FindingRecorded (impossible by construction) is ignored.
 */
export const evolve = (state: FindingState, event: FindingEvent): FindingState => {
  if (event.type === 'FindingRecorded') {
    const d = event.data;
    return {
      ...recorded(d, d.signedBy, d.at),
      importedFrom: d.importedFrom ? { sha256: d.importedFrom.sha256, row: d.importedFrom.row } : null,
      propagatedFrom: d.propagatedFrom ?? null,
    };
  }
  if (event.type === 'FindingImported') {
    const d = event.data;
    // The sheet's closing date stands for the closing instant (its start in Asia/Shanghai): the sheet has no time.
    return {
      ...recorded(d, d.signedBy, d.at),
      status: 'Closed',
      importedFrom: { sha256: d.importedFrom.sha256, row: d.importedFrom.row },
      importedClosed: true,
      unitId: d.unitId,
      dueDate: d.dueDate,
      closedAt: startOfShanghaiDay(d.closedOn),
    };
  }
  if (state.status === 'Empty') return state;
  return evolveFinding(state, event);
};

type RecordedFacts = Pick<
  Extract<FindingEvent, { type: 'FindingRecorded' }>['data'],
  'findingId' | 'campaignId' | 'source' | 'townUnitId' | 'village' | 'household' | 'description' | 'categoryCode' | 'severity'
>;

const recorded = (d: RecordedFacts, by: Finding['recordedBy'], at: string): Finding => ({
  status: 'Recorded',
  findingId: d.findingId,
  campaignId: d.campaignId,
  source: d.source,
  townUnitId: d.townUnitId,
  village: d.village,
  household: d.household,
  description: d.description,
  categoryCode: d.categoryCode,
  severity: d.severity,
  recordedBy: by,
  recordedAt: at,
  importedFrom: null,
  propagatedFrom: null,
  importedClosed: false,
  unitId: null,
  owner: null,
  dispatchedBy: null,
  dispatchedAt: null,
  noticeNo: null,
  dueDate: null,
  deadlineAt: null,
  calendarVersion: null,
  pendingExtension: null,
  rectificationSignedBy: null,
  verifiedBy: null,
  closedAt: null,
  lastProgressWorkday: null,
  previousOwners: [],
  ownerStep: null,
  reportsRequiredAfter: null,
  lastMissedReportWorkday: null,
  deadlineSeq: 0,
  dispatchOverdueFlagged: false,
  claimOverdueFlaggedFor: null,
  rectificationSubmittedAt: null,
  verificationOverdueFlaggedFor: null,
  lookBackDueFor: null,
  overdue: null,
  unacknowledgedEscalations: [],
  dispatchedVia: null,
});

const evolveFinding = (f: Finding, event: Exclude<FindingEvent, { type: 'FindingRecorded' | 'FindingImported' }>): Finding => {
  switch (event.type) {
    case 'FindingAmended':
      return { ...f, ...event.data.changes };
    case 'FindingAnnulled':
      return { ...f, status: 'Annulled', pendingExtension: null };
    case 'FindingDispatched': {
      const d = event.data;
      return {
        ...f,
        status: 'Dispatched',
        unitId: d.unitId,
        noticeNo: d.noticeNo,
        dispatchedBy: d.signedBy,
        dispatchedAt: d.at,
        dueDate: d.dueDate,
        deadlineAt: d.deadlineAt,
        calendarVersion: d.calendarVersion ?? null,
        deadlineSeq: f.deadlineSeq + 1,
        overdue: null,
        dispatchedVia: 'FindingDispatched',
      };
    }
    case 'FindingClaimed':
      return {
        ...f,
        status: 'InRectification',
        owner: event.data.signedBy,
        ownerStep: { step: 'FindingClaimed', at: event.data.at },
        reportsRequiredAfter: shanghaiDateOf(event.data.at),
      };
    case 'RectificationPlanSubmitted':
      return f;
    case 'ProgressReported':
      return { ...f, lastProgressWorkday: event.data.workday };
    case 'ExtensionRequested':
      return {
        ...f,
        pendingExtension: {
          workdays: event.data.workdays,
          reason: event.data.reason,
          requestedBy: event.data.signedBy,
          requestedAt: event.data.at,
        },
      };
    case 'ExtensionGranted':
      // A moved deadline ends the ladder of the old one; what already happened stays on record.
      return {
        ...f,
        pendingExtension: null,
        dueDate: event.data.dueDate,
        deadlineAt: event.data.deadlineAt,
        calendarVersion: event.data.calendarVersion ?? null,
        deadlineSeq: f.deadlineSeq + 1,
        overdue: null,
      };
    case 'ExtensionRefused':
      return { ...f, pendingExtension: null };
    case 'RectificationSubmitted':
      return {
        ...f,
        status: 'AwaitingVerification',
        rectificationSignedBy: event.data.signedBy,
        rectificationSubmittedAt: event.data.at,
      };
    case 'FindingClosed':
      // A pending extension lapses: there is nothing left to extend.
      return { ...f, status: 'Closed', verifiedBy: event.data.signedBy, closedAt: event.data.at, pendingExtension: null };
    case 'RectificationRejected':
      // The rejected submission is no longer signed work; the owner signs the next one (as a reassignment or a reopen
      // clears it too). Nothing decides on it meanwhile: verification needs a new submission first.
      return {
        ...f,
        status: 'InRectification',
        rectificationSignedBy: null,
        rectificationSubmittedAt: null,
        reportsRequiredAfter: shanghaiDateOf(event.data.at),
      };
    case 'FindingReassigned': {
      const d = event.data;
      return {
        ...f,
        status: 'Dispatched',
        unitId: d.toUnitId,
        owner: null,
        noticeNo: d.noticeNo ?? f.noticeNo,
        dispatchedBy: d.signedBy,
        dispatchedAt: d.at,
        dueDate: d.dueDate,
        deadlineAt: d.deadlineAt,
        calendarVersion: d.calendarVersion ?? null,
        // The request was the previous owner's; the new unit asks for itself.
        pendingExtension: null,
        rectificationSignedBy: null,
        previousOwners: d.previousOwner ? [...f.previousOwners, d.previousOwner] : f.previousOwners,
        ownerStep: null,
        reportsRequiredAfter: null,
        rectificationSubmittedAt: null,
        deadlineSeq: f.deadlineSeq + 1,
        overdue: null,
        dispatchedVia: 'FindingReassigned',
      };
    }
    case 'FindingReopened': {
      const d = event.data;
      return {
        ...f,
        status: 'InRectification',
        owner: d.owner,
        dueDate: d.dueDate,
        deadlineAt: d.deadlineAt,
        calendarVersion: d.calendarVersion ?? null,
        verifiedBy: null,
        closedAt: null,
        rectificationSignedBy: null,
        rectificationSubmittedAt: null,
        ownerStep: { step: 'FindingReopened', at: d.at },
        reportsRequiredAfter: shanghaiDateOf(d.at),
        deadlineSeq: f.deadlineSeq + 1,
        overdue: null,
      };
    }
    case 'DispatchOverdue':
      return { ...f, dispatchOverdueFlagged: true };
    case 'ClaimOverdue':
      return { ...f, claimOverdueFlaggedFor: event.data.dispatchedAt };
    case 'DailyReportMissed':
      return { ...f, lastMissedReportWorkday: event.data.workday };
    case 'FindingOverdue':
      return {
        ...f,
        overdue: {
          deadlineSeq: f.deadlineSeq,
          dueDate: event.data.dueDate,
          level: 'notice',
          nextLevel: null,
          nextDueDate: null,
          nextDueAt: null,
        },
      };
    case 'FindingEscalated': {
      const d = event.data;
      const level = d.level;
      const overdue = f.overdue ?? { deadlineSeq: f.deadlineSeq, dueDate: d.dueDate };
      return {
        ...f,
        overdue: { ...overdue, level, nextLevel: d.nextLevel, nextDueDate: d.nextDueDate, nextDueAt: d.nextDueAt },
        unacknowledgedEscalations:
          level === 'notice'
            ? f.unacknowledgedEscalations
            : [...f.unacknowledgedEscalations, { level, dueDate: d.dueDate, accountable: d.accountable }],
      };
    }
    case 'EscalationAcknowledged': {
      // The latest proposal of that level and deadline, as decide picked it.
      const matches = f.unacknowledgedEscalations.map((e, j) => (e.level === event.data.level && e.dueDate === event.data.dueDate ? j : -1));
      const i = Math.max(...matches, -1);
      if (i < 0) return f;
      return { ...f, unacknowledgedEscalations: f.unacknowledgedEscalations.filter((_, j) => j !== i) };
    }
    case 'VerificationOverdue':
      return { ...f, verificationOverdueFlaggedFor: event.data.submittedAt };
    case 'LookBackDue':
      return { ...f, lookBackDueFor: event.data.closedAt };
    default: {
      // Exhaustive at compile time; at run time an event type from a newer version leaves state as is.
      const unknownEvent: never = event;
      void unknownEvent;
      return f;
    }
  }
};

export const evolveAll = (events: readonly FindingEvent[], state: FindingState = initialState()): FindingState =>
  events.reduce(evolve, state);
