import fc from 'fast-check';
import type { Pool } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../tests/support/test-database';
import { evolve, initialState, type FindingEvent, type FindingState } from '@duban/domain/findings';
import type { Actor } from '@duban/domain/shared/actor';
import { createProjections, FindingLedgerQuery, ProjectionRunner, RectificationLedgerQuery } from '../src';
import { catchUpFully, FindingDriver } from './harness';
import { FULL_LIFECYCLE, playSteps, step } from './command-model';

/**
 * The ledgers against the domain's own fold of each stream (not against their own rebuild, which agrees with any
 * projection bug): after every projected step of random command sequences with rejections, reassignments and
 * reopens, each signer field of 问题台账, 整改台账 and 问题认领清单 says what `evolve` says.
 */

const person = (a: Actor | null) => (a ? { id: a.userId, name: a.name } : null);

/** The reason given with the latest step that gives one; closing replaces it with the verifier's note (or none). */
function lastReasonOf(events: FindingEvent[]): string | null {
  let reason: string | null = null;
  for (const e of events) {
    switch (e.type) {
      case 'FindingAmended':
      case 'FindingAnnulled':
      case 'ExtensionRequested':
      case 'ExtensionRefused':
      case 'RectificationRejected':
      case 'FindingReassigned':
      case 'FindingReopened':
        reason = e.data.reason;
        break;
      case 'ExtensionGranted':
        reason = e.data.reason ?? reason;
        break;
      case 'FindingClosed':
        reason = e.data.note;
        break;
      default:
        break;
    }
  }
  return reason;
}

const CLAIM_STATUS: Record<string, string> = {
  Dispatched: 'awaiting_claim',
  InRectification: 'claimed',
  AwaitingVerification: 'claimed',
  Closed: 'closed',
  Annulled: 'annulled',
};

async function expectLedgersMatchDomain(pool: Pool, findingId: string, st: FindingState, events: FindingEvent[], now: Date) {
  const ledger = await new FindingLedgerQuery(pool).get(findingId, now);
  const rectification = await new RectificationLedgerQuery(pool).get(findingId);
  const claims = await pool.query<{ unit_id: string; status: string; claimed_by_id: string | null; due_date: string | null }>(
    `SELECT unit_id, status, claimed_by_id, to_char(due_date, 'YYYY-MM-DD') AS due_date FROM claim_list_v1 WHERE finding_id = $1`,
    [findingId],
  );
  if (st.status === 'Empty') {
    expect({ ledger, rectification, claims: claims.rows }).toEqual({ ledger: null, rectification: null, claims: [] });
    return;
  }
  const context = { findingId, events: events.map((e) => e.type).join(' ') };
  expect({ ...context, row: ledger }).toMatchObject({
    ...context,
    row: {
      state: st.status,
      unitId: st.unitId,
      owner: st.owner ? { ...person(st.owner), unitId: st.owner.unitId } : null,
      townUnitId: st.townUnitId,
      village: st.village ?? null,
      description: st.description,
      categoryCode: st.categoryCode,
      severity: st.severity,
      recordedBy: person(st.recordedBy),
      recordedAt: st.recordedAt,
      dispatchedBy: person(st.dispatchedBy),
      dispatchedAt: st.dispatchedAt,
      noticeNo: st.noticeNo,
      dueDate: st.dueDate,
      deadlineAt: st.deadlineAt,
      calendarVersion: st.calendarVersion,
      extensionPending: st.pendingExtension !== null,
      rectificationSignedBy: person(st.rectificationSignedBy),
      rectificationSignedAt: st.rectificationSubmittedAt,
      verifiedBy: person(st.verifiedBy),
      verifiedAt: st.closedAt,
      closedAt: st.closedAt,
      lastReason: lastReasonOf(events),
    },
  });

  const submissions = events.filter((e) => e.type === 'RectificationSubmitted');
  const rejections = events.filter((e) => e.type === 'RectificationRejected');
  const lastSubmission = submissions[submissions.length - 1];
  expect({ ...context, row: rectification }).toMatchObject({
    ...context,
    row: {
      unitId: st.unitId,
      owner: st.owner ? { ...person(st.owner), unitId: st.owner.unitId } : null,
      submissionSignedBy: person(st.rectificationSignedBy),
      submissionSignedAt: st.rectificationSubmittedAt,
      submissionSummary: st.rectificationSignedBy && lastSubmission?.type === 'RectificationSubmitted' ? lastSubmission.data.summary : null,
      rejections: rejections.length,
      lastRejectionReason: rejections.length ? (rejections[rejections.length - 1] as { data: { reason: string } }).data.reason : null,
    },
  });

  // The current unit's row follows the finding; a unit it was reassigned away from keeps only that fact.
  const expected = st.unitId
    ? [{ unit_id: st.unitId, status: CLAIM_STATUS[st.status], claimed_by_id: st.owner?.userId ?? null, due_date: st.dueDate }]
    : [];
  const current = claims.rows.filter((r) => r.unit_id === st.unitId);
  expect({ ...context, rows: current }).toEqual({ ...context, rows: expected });
  expect(claims.rows.filter((r) => r.unit_id !== st.unitId).map((r) => r.status)).toEqual(
    claims.rows.filter((r) => r.unit_id !== st.unitId).map(() => 'reassigned_away'),
  );
}

describe('ledgers == the domain fold (model-based property)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('holds after every projected step of random sequences with rejections, reassignments and reopens', async () => {
    const projections = createProjections().filter((p) => ['finding_ledger', 'claim_list', 'rectification_ledger'].includes(p.name));
    const runner = new ProjectionRunner(db.appPool, projections);
    const seen = { rejections: 0, reassignedFromAwaiting: 0, reopens: 0, closedAfterRejection: 0 };
    let run = 0;

    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 60 }), async (steps) => {
        run += 1;
        const driver = await FindingDriver.start(db);
        const findingIds = [0, 1, 2].map((i) => `m${run}-${i}`);
        const check = async (events: Map<string, FindingEvent[]>, now: Date) => {
          await catchUpFully(runner, db.adminPool);
          for (const id of findingIds) await expectLedgersMatchDomain(db.adminPool, id, driver.state(id), events.get(id)!, now);
        };
        let now = new Date('2026-10-12T01:00:00.000Z');
        const played = await playSteps(driver, steps, findingIds, async (batch, events) => {
          await runner.runOnce(batch);
          await check(events, now);
        });
        now = new Date(played.clock);
        await check(played.events, now);

        for (const events of played.events.values()) {
          let state = initialState();
          let rejected = false;
          for (const e of events) {
            if (e.type === 'RectificationRejected') (seen.rejections += 1), (rejected = true);
            if (e.type === 'FindingReassigned' && state.status === 'AwaitingVerification') seen.reassignedFromAwaiting += 1;
            if (e.type === 'FindingReopened') seen.reopens += 1;
            if (e.type === 'FindingClosed' && rejected) seen.closedAfterRejection += 1;
            state = evolve(state, e);
          }
        }
      }),
      // A fixed number of cases, whatever the machine's speed.
      { numRuns: 25, examples: [[FULL_LIFECYCLE]] },
    );
    // The generator must reach the undoing steps this property is about.
    expect(seen.rejections).toBeGreaterThan(0);
    expect(seen.reassignedFromAwaiting).toBeGreaterThan(0);
    expect(seen.reopens).toBeGreaterThan(0);
    expect(seen.closedAfterRejection).toBeGreaterThan(0);
  }, 300_000);
});
