import type { Actor } from '../shared/actor';
import { deciderSpec } from '../testing/decider-spec';
import { actors, sh, testContext, utc } from '../testing/fixtures';
import { evolveAll, findingDecider, planTimers, timersFinished, type FindingCommand, type FindingEvent, type ImportFinding } from './index';

const ctx = testContext();
const spec = deciderSpec(findingDecider, ctx);
const { inspector, supervisor, supervisor2, officialA, discipline, admin } = actors;
const SHA = 'ab'.repeat(32);

const importCommand = (over: Partial<ImportFinding['data']> = {}, actor: Actor = admin, local = '2026-10-08 10:00'): FindingCommand => ({
  type: 'ImportFinding',
  data: {
    findingId: 'f1',
    campaignId: 'c1',
    source: 'household_inspection',
    categoryCode: '2.3',
    severity: 'yellow',
    townUnitId: 'town-a',
    village: '东庄村',
    description: '危房未改造',
    importedFrom: { sha256: SHA, row: 7 },
    ...over,
  },
  metadata: { now: sh(local), actor },
});

const common = {
  findingId: 'f1',
  campaignId: 'c1',
  source: 'household_inspection',
  categoryCode: '2.3',
  severity: 'yellow',
  townUnitId: 'town-a',
  village: '东庄村',
  household: null,
  description: '危房未改造',
} as const;

describe('ImportFinding 导入问题清单', () => {
  it('an open row comes in recorded, signed by the importer, with the file and row and the sheet’s proposal', () => {
    spec.given([]).when(importCommand({ sheetUnitId: 'town-a', sheetDueDate: '2026-10-20' })).then([
      {
        type: 'FindingRecorded',
        data: {
          ...common,
          evidence: [],
          importedFrom: { sha256: SHA, row: 7, sheetUnitId: 'town-a', sheetDueDate: '2026-10-20' },
          signedBy: admin,
          at: utc('2026-10-08 10:00'),
        },
      },
    ]);
  });

  it('a closed row comes in as history: the sheet’s dates, no owner, no verifier, no timers', () => {
    const events = spec
      .given([])
      .when(importCommand({ sheetUnitId: 'town-a', sheetDueDate: '2026-09-20', closed: { closedOn: '2026-09-18', statusText: '已于2026年9月18日销号' } }, supervisor))
      .then([
        {
          type: 'FindingImported',
          data: {
            ...common,
            importedFrom: { sha256: SHA, row: 7 },
            sourceState: 'closed',
            unitId: 'town-a',
            dueDate: '2026-09-20',
            closedOn: '2026-09-18',
            statusText: '已于2026年9月18日销号',
            signedBy: supervisor,
            at: utc('2026-10-08 10:00'),
          },
        },
      ]);
    const state = evolveAll(events);
    expect(state).toMatchObject({ status: 'Closed', importedClosed: true, owner: null, verifiedBy: null, rectificationSignedBy: null, closedAt: utc('2026-09-18 00:00') });
    // No look-back, no ladder: nobody in Duban holds a step of it.
    expect(planTimers(state, ctx)).toEqual([]);
    expect(timersFinished(state)).toBe(true);
  });

  it('an imported closed finding cannot be reopened as if someone had signed its fix', () => {
    const [imported] = spec.given([]).when(importCommand({ closed: { closedOn: '2026-09-18', statusText: '已销号' } })).thenEvents();
    spec
      .given([imported])
      .when({ type: 'ReopenFinding', data: { reason: '回头看' }, metadata: { now: sh('2026-10-20 10:00'), actor: supervisor2 } })
      .thenThrows({ kind: 'invalid_state', code: 'FINDING_HAS_NO_OWNER' });
  });

  it('an imported open finding runs the dispatch SLA against its importer, like any recorded finding', () => {
    const [recorded] = spec.given([]).when(importCommand({}, supervisor)).thenEvents();
    expect(planTimers(evolveAll([recorded]), ctx).map((t) => t.kind)).toEqual(['dispatch_sla']);
  });

  it('only a supervisor or an administrator imports; nobody else', () => {
    spec.given([]).when(importCommand({}, inspector)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
    spec.given([]).when(importCommand({}, officialA)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
    spec.given([]).when(importCommand({}, discipline)).thenThrows({ kind: 'forbidden', rule: 'READ_ONLY_ROLE' });
  });

  it('refuses a second import of the same finding, a bad file hash, a closing date in the future', () => {
    const [recorded] = spec.given([]).when(importCommand()).thenEvents();
    spec.given([recorded]).when(importCommand()).thenThrows({ kind: 'invalid_state', code: 'FINDING_ALREADY_EXISTS' });
    spec.given([]).when(importCommand({ importedFrom: { sha256: 'xyz', row: 2 } })).thenThrows({ kind: 'invalid_input', field: 'importedFrom.sha256' });
    spec.given([]).when(importCommand({ importedFrom: { sha256: SHA, row: 0 } })).thenThrows({ kind: 'invalid_input', field: 'importedFrom.row' });
    spec
      .given([])
      .when(importCommand({ closed: { closedOn: '2026-10-09', statusText: '已销号' } }))
      .thenThrows({ kind: 'invalid_input', code: 'CLOSED_IN_THE_FUTURE' });
    spec
      .given([])
      .when(importCommand({ closed: { closedOn: '2026-02-30', statusText: '已销号' } }))
      .thenThrows({ kind: 'invalid_input', field: 'closed.closedOn' });
  });

  it('events recorded before imports existed still fold as before (no importedFrom)', () => {
    const old: FindingEvent = { type: 'FindingRecorded', data: { ...common, evidence: [], signedBy: inspector, at: utc('2026-10-08 10:00') } };
    expect(evolveAll([old])).toMatchObject({ status: 'Recorded', importedFrom: null, importedClosed: false, recordedBy: inspector });
  });
});
