import type { GlobalPosition } from '@duban/event-store';
import { DirectoryQuery } from '../directory/directory.query';
import type { HeadsDigest, ReadSnapshot } from './read-snapshot';

/**
 * What one ledger export reads, all from one snapshot: its rows (one or more sheets, each paged by keyset), the
 * read models they come from (the first is the one whose checkpoint the heads are taken at) and the finding streams
 * the file contains (for the heads digest). The queries are the on-screen ledgers' own filters and scope.
 */
export interface LedgerExportSource {
  /** Checkpoint names; the first is the primary read model. */
  checkpoints: string[];
  digest(snapshot: ReadSnapshot, at: GlobalPosition): Promise<HeadsDigest>;
}

/** Rows of a keyset-paged query, mapped batch by batch. */
export async function* mapped<T>(batches: AsyncGenerator<Record<string, unknown>[]>, map: (r: Record<string, unknown>) => T): AsyncGenerator<T[]> {
  for await (const batch of batches) yield batch.map(map);
}

/** Unit names for the sheets (the directory is small: a county's units). */
export async function unitNames(snapshot: ReadSnapshot): Promise<Map<string, string>> {
  return new DirectoryQuery(snapshot.client).allUnitNames();
}
