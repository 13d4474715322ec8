import type { Actor, FindingCommand, FindingContext, FindingEvent } from '@duban/domain';
import { findingDecider } from '@duban/domain';
import { actors } from '@duban/domain/testing/fixtures';
import type { PostgresEventStore } from '@duban/event-store';
import { forEachConcurrently, toNewEvent } from './support';

/**
 * Findings recorded, dispatched and claimed at `claimedAt`, as the domain decides them, in one append per finding —
 * for the benches of what follows a claim (the forwarder, the report cutoff), which need thousands of open findings.
 * Through the command path a dispatch folds the campaign's notice stream (issue 15 item 1): 20,000 of them would take
 * longer than the benches themselves. The notice number is made up; nothing here reads it.
 */
export async function seedClaimedFindings(
  store: PostgresEventStore,
  ctx: FindingContext,
  campaignId: string,
  ids: string[],
  claimedAt: string,
): Promise<void> {
  await forEachConcurrently(ids.length, 8, async (i) => {
    const id = ids[i];
    const steps: Array<{ type: FindingCommand['type']; data: object; actor: Actor }> = [
      {
        type: 'RecordFinding',
        data: { findingId: id, campaignId, source: 'household_inspection', categoryCode: '2.3', severity: 'blue', townUnitId: 'town-a', description: '基准测试', evidence: [] },
        actor: actors.inspector,
      },
      { type: 'DispatchFinding', data: { unitId: 'town-a', deadlineWorkdays: 30, noticeNo: `基准〔${i + 1}〕号` }, actor: actors.supervisor },
      { type: 'ClaimFinding', data: {}, actor: actors.officialA },
    ];
    let state = findingDecider.initialState();
    const events: FindingEvent[] = [];
    for (const step of steps) {
      const decided = findingDecider.decide({ type: step.type, data: step.data, metadata: { now: claimedAt, actor: step.actor } } as FindingCommand, state, ctx);
      state = decided.reduce(findingDecider.evolve, state);
      events.push(...decided);
    }
    await store.append([{ streamId: `finding-${id}`, expectedVersion: 0, events: events.map((e) => toNewEvent(e, 'BenchSeed')) }]);
  });
}
