import { createHash, type Hash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { START, type GlobalPosition } from '@duban/event-store';
import type { Where } from '../support';

/** Rows per round trip of an export; one batch is the most an export ever holds in memory. */
export const EXPORT_BATCH_SIZE = 1000;

/** Where a read model stood in the snapshot: its checkpoint and the event the checkpoint points at. */
export interface ProjectionCheckpoint {
  /** e.g. `projection:finding_ledger:v2`. */
  name: string;
  transactionId: string;
  position: string;
  /** The last event in the log at or before the checkpoint (null while the projection has read nothing). */
  lastEvent: { streamId: string; version: number; eventId: string; hash: string; transactionId: string; position: string } | null;
}

/** What the heads digest covers, and the digest itself. */
export interface HeadsDigest {
  /** Distinct finding streams in the file. */
  streams: number;
  /** Of those, streams with no event at or before the checkpoint (should be 0; they are left out of the digest). */
  missing: number;
  sha256: string;
}

/** The keyset an export pages by: expressions in ORDER BY order, all ascending or all descending. */
export interface KeysetQuery {
  /** `SELECT …` list (without the keyset columns, which are added). */
  select: string;
  /** `FROM …` including joins. */
  from: string;
  where: Where;
  keys: Array<{ expr: string; type: string }>;
  descending?: boolean;
  batchSize?: number;
}

/**
 * One REPEATABLE READ, READ ONLY transaction: every batch of rows, the projection checkpoints and the event heads an
 * export reports come from one snapshot, so the file is internally consistent however long it takes to stream.
 */
export async function withReadSnapshot<T>(pool: Pool, work: (snapshot: ReadSnapshot) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const result = await work(new ReadSnapshot(client));
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw err;
  } finally {
    client.release(broken);
  }
}

export class ReadSnapshot {
  constructor(readonly client: PoolClient) {}

  /**
   * A projection's checkpoint as this snapshot sees it. The runner commits a projection's rows and its checkpoint in
   * one transaction, so the rows read in this snapshot are exactly the events up to this checkpoint.
   */
  async checkpoint(name: string): Promise<ProjectionCheckpoint> {
    const { rows } = await this.client.query<{ transaction_id: string; position: string }>(
      `SELECT transaction_id::text AS transaction_id, position::text AS position FROM subscription_checkpoints WHERE name = $1`,
      [name],
    );
    const at: GlobalPosition = rows[0] ? { transactionId: rows[0].transaction_id, position: rows[0].position } : START;
    const last = await this.client.query(
      `SELECT stream_id, version, event_id::text AS event_id, hash, transaction_id::text AS transaction_id, position::text AS position
         FROM events
        WHERE (events.transaction_id, events.position) <= ($1::text::xid8, $2::bigint)
        -- Qualified: the select list renames both to text, and an alias would sort '999' after '1000'.
        ORDER BY events.transaction_id DESC, events.position DESC LIMIT 1`,
      [at.transactionId, at.position],
    );
    const e = last.rows[0];
    return {
      name,
      ...at,
      lastEvent: e
        ? { streamId: e.stream_id, version: e.version, eventId: e.event_id, hash: e.hash, transactionId: e.transaction_id, position: e.position }
        : null,
    };
  }

  /** Pages through a query by its keyset, one batch in memory at a time. */
  async *keyset<R = Record<string, unknown>>(q: KeysetQuery): AsyncGenerator<R[]> {
    const size = q.batchSize ?? EXPORT_BATCH_SIZE;
    const dir = q.descending ? 'DESC' : 'ASC';
    const keyCols = q.keys.map((k, i) => `(${k.expr})::text AS "__k${i}"`).join(', ');
    const orderBy = q.keys.map((k) => `${k.expr} ${dir}`).join(', ');
    let after: string[] | null = null;
    for (;;) {
      const params = [...q.where.params];
      const conditions: string[] = [];
      const base = q.where.toString();
      if (after) {
        const placeholders = after.map((v, i) => {
          params.push(v);
          return `$${params.length}::${q.keys[i].type}`;
        });
        conditions.push(`(${q.keys.map((k) => k.expr).join(', ')}) ${q.descending ? '<' : '>'} (${placeholders.join(', ')})`);
      }
      params.push(size);
      const where = conditions.length ? (base ? `${base} AND ${conditions.join(' AND ')}` : `WHERE ${conditions.join(' AND ')}`) : base;
      const { rows } = await this.client.query(
        `SELECT ${q.select}, ${keyCols} FROM ${q.from} ${where} ORDER BY ${orderBy} LIMIT $${params.length}`,
        params,
      );
      if (rows.length === 0) return;
      const lastRow = rows[rows.length - 1] as Record<string, string>;
      after = q.keys.map((_, i) => lastRow[`__k${i}`]);
      yield rows as R[];
      if (rows.length < size) return;
    }
  }

  /**
   * SHA-256 over the head of every finding stream in the file, as of `at` (a projection checkpoint): for each
   * distinct finding id, the stream `finding-<id>`'s last event at or before `at`; the streams in code-point order of
   * their ids, each contributing the UTF-8 line `<stream id>\t<version>\t<hash>\n`. A verifier needs only the file:
   * the ids in it and the checkpoint on its last sheet. Streamed in keyset batches like the rows.
   *
   * `findingIds` selects the file's finding ids (column `finding_id`) from `from` with `where`. A ledger of other
   * streams names their prefix (`selfcheck-` for 举一反三 tasks; the expression then yields the rest of the stream id).
   */
  headsDigest(from: string, where: Where, findingIdExpr: string, at: GlobalPosition, streamPrefix = 'finding-'): Promise<HeadsDigest> {
    return this.headsDigestOf([{ from, where, idExpr: findingIdExpr, streamPrefix }], at);
  }

  /**
   * One digest over the streams of several parts of a file (the 问责台账's finding rows and self-check rows): each
   * part's streams are hashed in order, so the parts must come in code-point order of their prefixes (`finding-` before
   * `selfcheck-`) for the digest to be the one a verifier computes over all the file's streams.
   */
  async headsDigestOf(parts: Array<{ from: string; where: Where; idExpr: string; streamPrefix: string }>, at: GlobalPosition): Promise<HeadsDigest> {
    for (let i = 1; i < parts.length; i++) {
      if (parts[i - 1].streamPrefix >= parts[i].streamPrefix) throw new Error('digest parts out of prefix order');
    }
    const hash = createHash('sha256');
    let streams = 0;
    let missing = 0;
    for (const part of parts) {
      const counted = await this.hashHeads(hash, part.from, part.where, part.idExpr, at, part.streamPrefix);
      streams += counted.streams;
      missing += counted.missing;
    }
    return { streams, missing, sha256: hash.digest('hex') };
  }

  private async hashHeads(
    hash: Hash,
    from: string,
    where: Where,
    findingIdExpr: string,
    at: GlobalPosition,
    streamPrefix: string,
  ): Promise<{ streams: number; missing: number }> {
    if (!/^[a-z-]+$/.test(streamPrefix)) throw new Error(`stream prefix ${streamPrefix} is not a plain prefix`);
    let streams = 0;
    let missing = 0;
    let after: string | null = null;
    const id = `(${findingIdExpr}) COLLATE "C"`;
    for (;;) {
      const params = [...where.params];
      const base = where.toString();
      let cond = '';
      if (after !== null) {
        params.push(after);
        cond = `${base ? ' AND' : 'WHERE'} ${id} > $${params.length}`;
      }
      params.push(at.transactionId, at.position, EXPORT_BATCH_SIZE);
      const n = params.length;
      const { rows } = await this.client.query<{ finding_id: string; version: number | null; hash: string | null }>(
        `WITH ids AS (
           SELECT DISTINCT ${id} AS finding_id FROM ${from} ${base}${cond} ORDER BY 1 LIMIT $${n}
         )
         SELECT ids.finding_id, h.version, h.hash
           FROM ids
           LEFT JOIN LATERAL (
             SELECT e.version, e.hash FROM events e
              WHERE e.stream_id = ('${streamPrefix}' || ids.finding_id) COLLATE "default" -- the index's collation, not the sort's
                AND (e.transaction_id, e.position) <= ($${n - 2}::text::xid8, $${n - 1}::bigint)
              ORDER BY e.version DESC LIMIT 1
           ) h ON true
          ORDER BY ids.finding_id`,
        params,
      );
      for (const r of rows) {
        streams++;
        if (r.hash === null || r.version === null) {
          missing++;
          continue;
        }
        hash.update(headLine(`${streamPrefix}${r.finding_id}`, r.version, r.hash), 'utf8');
      }
      if (rows.length < EXPORT_BATCH_SIZE) break;
      after = rows[rows.length - 1].finding_id;
    }
    return { streams, missing };
  }
}

/** One head's contribution to the digest. */
export const headLine = (streamId: string, version: number, hash: string): string => `${streamId}\t${version}\t${hash}\n`;

/** The digest a verifier recomputes from (stream id, version, hash) triples, in any order. */
export function digestOfHeads(heads: Array<{ streamId: string; version: number; hash: string }>): string {
  const sorted = [...heads].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
  const h = createHash('sha256');
  for (const x of sorted) h.update(headLine(x.streamId, x.version, x.hash), 'utf8');
  return h.digest('hex');
}
