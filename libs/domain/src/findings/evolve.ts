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
      recordedBy: d.signedBy,
      recordedAt: d.at,
      unitId: null,
      owner: null,
      dispatchedBy: null,
      dispatchedAt: null,
      noticeNo: null,
      dueDate: null,
      deadlineAt: null,
      pendingExtension: null,
      rectificationSignedBy: null,
      verifiedBy: null,
      closedAt: null,
      lastProgressWorkday: null,
      previousOwners: [],
    };
  }
  if (state.status === 'Empty') return state;
  return evolveFinding(state, event);
};

const evolveFinding = (f: Finding, event: Exclude<FindingEvent, { type: 'FindingRecorded' }>): Finding => {
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
      };
    }
    case 'FindingClaimed':
      return { ...f, status: 'InRectification', owner: event.data.signedBy };
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
      return { ...f, pendingExtension: null, dueDate: event.data.dueDate, deadlineAt: event.data.deadlineAt };
    case 'ExtensionRefused':
      return { ...f, pendingExtension: null };
    case 'RectificationSubmitted':
      return { ...f, status: 'AwaitingVerification', rectificationSignedBy: event.data.signedBy };
    case 'FindingClosed':
      // A pending extension lapses: there is nothing left to extend.
      return { ...f, status: 'Closed', verifiedBy: event.data.signedBy, closedAt: event.data.at, pendingExtension: null };
    case 'RectificationRejected':
      return { ...f, status: 'InRectification' };
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
        // The request was the previous owner's; the new unit asks for itself.
        pendingExtension: null,
        rectificationSignedBy: null,
        previousOwners: d.previousOwner ? [...f.previousOwners, d.previousOwner] : f.previousOwners,
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
        verifiedBy: null,
        closedAt: null,
        rectificationSignedBy: null,
      };
    }
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
