import { findingDecider, type FindingEvent, type FindingState } from '@duban/domain';
import { type EventStore, loadAggregate } from '@duban/event-store';

/**
 * A finding's state and the version the next append expects. With `asOf`, the state is folded from the events decided
 * at or before that instant only, in stream order — a consequence decided as of a past instant (the cutoff sweep's
 * missed report) may follow an event decided after it, and counts — while the version stays the stream's: such a
 * consequence is appended after whatever came since.
 */
export async function loadFindingStream(
  store: EventStore,
  streamId: string,
  asOf?: string,
): Promise<{ state: FindingState; version: number }> {
  if (asOf === undefined) return loadAggregate<FindingState, FindingEvent>(store, streamId, findingDecider.evolve, findingDecider.initialState());
  const stream = await store.readStream(streamId);
  const cut = Date.parse(asOf);
  let state = findingDecider.initialState();
  for (const e of stream.events) {
    const at = (e.data as { at?: unknown }).at;
    if (Date.parse(typeof at === 'string' ? at : e.recordedAt) > cut) continue;
    state = findingDecider.evolve(state, { type: e.type, data: e.data } as FindingEvent);
  }
  return { state, version: stream.version };
}
