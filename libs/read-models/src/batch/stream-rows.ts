import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@duban/event-store';
import { insertRows, isNewFor, type Row, RowSet } from './row-set';

/**
 * A read model with one row per stream (a finding's ledger row), written per event as an INSERT … ON CONFLICT DO
 * NOTHING of the stream's first event and a guarded UPDATE (`stream_version < version`) of every later one.
 */
export interface StreamRowFold {
  table: string;
  /** The row's primary key column. */
  key: string;
  /** The row's key for this event; null: the event is not this model's. */
  keyOf(e: RecordedEvent): string | null;
  /** The row the stream's first event inserts (only the columns its INSERT names; the rest take their defaults). */
  create(e: RecordedEvent): Row | null;
  /**
   * Pure: the row after a later event, the guard having passed — what the per-event UPDATE sets, stream_version
   * included; null when the per-event path updates nothing for this event.
   */
  evolve(row: Row, e: RecordedEvent): Row | null;
}

/**
 * Applies a batch to a one-row-per-stream model in three statements: the first events' rows inserted, every row the
 * batch touches read, the folded rows updated. Returns the events whose guard passed (what the per-event UPDATE
 * would have changed), for models that write a second table only when the first one changed.
 */
export async function applyStreamRows(client: PoolClient, fold: StreamRowFold, events: RecordedEvent[]): Promise<RecordedEvent[]> {
  const keyed = events.flatMap((e) => {
    const key = fold.keyOf(e);
    return key === null ? [] : [{ e, key }];
  });
  if (keyed.length === 0) return [];
  const created: Row[] = [];
  const later: { e: RecordedEvent; key: string }[] = [];
  for (const k of keyed) {
    const row = fold.create(k.e);
    if (row) created.push(row);
    else later.push(k);
  }
  if (created.length) await insertRows(client, fold.table, created, 'nothing');
  if (later.length === 0) return [];
  const rows = new RowSet(fold.table, fold.key);
  await rows.load(client, later.map((k) => k.key));
  const applied: RecordedEvent[] = [];
  for (const { e, key } of later) {
    const row = rows.get(key);
    if (!isNewFor(row, e.version)) continue;
    const next = fold.evolve(row, e);
    if (!next) continue;
    rows.put(next);
    applied.push(e);
  }
  await rows.flush(client);
  return applied;
}
