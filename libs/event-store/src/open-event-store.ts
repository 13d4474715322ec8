import type { Pool } from 'pg';
import type { Clock, EventStore } from './event-store.port';
import type { EventSigner } from './event-signatures';
import type { EventStoreSelection } from './kurrentdb/connection-string';
import { PostgresEventStore } from './postgres/postgres-event-store';
import type { LogSource } from './subscription.port';

export interface OpenedEventStore {
  store: EventStore;
  /**
   * What the subscriptions (projections, forwarder, sealer) read the log from: absent for PostgreSQL, whose log they
   * read in their own transaction; the KurrentDB store otherwise.
   */
  logSource?: LogSource;
  /** Closes what the store opened (the KurrentDB client); PostgreSQL's pool belongs to the caller. */
  dispose(): Promise<void>;
}

/**
 * The one place an app turns `EVENT_STORE` into a store. The KurrentDB adapter is loaded only when chosen, so a
 * PostgreSQL process never loads its client.
 */
export async function openEventStore(
  selection: EventStoreSelection,
  deps: { pool: Pool; clock: Clock; signer?: EventSigner },
): Promise<OpenedEventStore> {
  if (selection.kind === 'postgres') {
    return { store: new PostgresEventStore(deps.pool, deps.clock, deps.signer), dispose: async () => undefined };
  }
  const { KurrentDbEventStore } = await import('./kurrentdb/kurrentdb-event-store');
  const store = KurrentDbEventStore.connect(selection.url, deps.clock, deps.signer);
  return { store, logSource: store, dispose: () => store.dispose() };
}
