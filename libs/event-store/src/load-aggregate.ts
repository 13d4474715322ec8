import type { EventStore } from './event-store.port';

/** Folds a stream into its aggregate state; the version is what the next append must expect. */
export async function loadAggregate<S, E extends { type: string; data: unknown }>(
  store: EventStore,
  streamId: string,
  evolve: (state: S, event: E) => S,
  initial: S,
): Promise<{ state: S; version: number }> {
  const stream = await store.readStream(streamId);
  const state = stream.events.reduce((s, e) => evolve(s, { type: e.type, data: e.data } as E), initial);
  return { state, version: stream.version };
}
