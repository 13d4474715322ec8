import type { PoolClient } from 'pg';

/**
 * A read-model row as PostgreSQL's `to_jsonb` gives it: column name → JSON value (timestamps and dates as ISO text,
 * jsonb columns as JSON). Written back through `jsonb_populate_recordset`, so each value goes through the column's
 * own type on the way in, exactly as a bound parameter would.
 */
export type Row = Record<string, unknown>;

const IDENT = /^[a-z_][a-z0-9_]*$/;

function ident(name: string): string {
  if (!IDENT.test(name)) throw new Error(`refusing identifier ${name}`);
  return `"${name}"`;
}

/** Rows whose values are all present, grouped by the set of columns they name (one statement per group). */
function bySignature(rows: Row[]): Map<string, { columns: string[]; rows: Row[] }> {
  const groups = new Map<string, { columns: string[]; rows: Row[] }>();
  for (const row of rows) {
    const columns = Object.keys(row).sort();
    const key = columns.join(',');
    const group = groups.get(key);
    if (group) group.rows.push(row);
    else groups.set(key, { columns, rows: [row] });
  }
  return groups;
}

/** The rows of `table` whose `column` is one of `values`, in one statement. */
export async function selectRows(client: PoolClient, table: string, column: string, values: Iterable<string>): Promise<Row[]> {
  const list = [...new Set(values)];
  if (list.length === 0) return [];
  const { rows } = await client.query<{ r: Row }>(
    `SELECT to_jsonb(t) AS r FROM ${ident(table)} t WHERE t.${ident(column)} = ANY($1::text[])`,
    [list],
  );
  return rows.map((x) => x.r);
}

/** `selectRows` keyed by `column` (a primary key). */
export async function selectRowsByKey(
  client: PoolClient,
  table: string,
  column: string,
  values: Iterable<string>,
): Promise<Map<string, Row>> {
  const rows = await selectRows(client, table, column, values);
  return new Map(rows.map((r) => [String(r[column]), r]));
}

/**
 * Multi-row INSERT: one statement per distinct set of columns, the values as one jsonb parameter. A column a row does
 * not name takes its default, as in a single-row INSERT naming the same columns.
 * `onConflict`: `nothing` (DO NOTHING), or the conflict target and DO UPDATE of every other named column.
 */
export async function insertRows(
  client: PoolClient,
  table: string,
  rows: Row[],
  onConflict: 'nothing' | { target: string[] },
): Promise<void> {
  for (const { columns, rows: group } of bySignature(rows).values()) {
    const cols = columns.map(ident).join(', ');
    let conflict = 'ON CONFLICT DO NOTHING';
    if (onConflict !== 'nothing') {
      const updates = columns.filter((c) => !onConflict.target.includes(c)).map((c) => `${ident(c)} = EXCLUDED.${ident(c)}`);
      conflict = `ON CONFLICT (${onConflict.target.map(ident).join(', ')}) ` + (updates.length ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING');
    }
    await client.query(
      `INSERT INTO ${ident(table)} (${cols})
       SELECT ${cols} FROM jsonb_populate_recordset(NULL::${ident(table)}, $1::jsonb)
       ${conflict}`,
      [JSON.stringify(group)],
    );
  }
}

/** Multi-row UPDATE … FROM: each row's named columns, matched on `keys`; one statement per distinct set of columns. */
export async function updateRows(client: PoolClient, table: string, keys: string[], rows: Row[]): Promise<void> {
  for (const { columns, rows: group } of bySignature(rows).values()) {
    const sets = columns.filter((c) => !keys.includes(c)).map((c) => `${ident(c)} = r.${ident(c)}`);
    if (sets.length === 0) continue;
    await client.query(
      `UPDATE ${ident(table)} t SET ${sets.join(', ')}
         FROM jsonb_populate_recordset(NULL::${ident(table)}, $1::jsonb) r
        WHERE ${keys.map((k) => `t.${ident(k)} = r.${ident(k)}`).join(' AND ')}`,
      [JSON.stringify(group)],
    );
  }
}

/**
 * The rows one table holds for the keys a batch touches, folded in memory and written back once. A row is changed by
 * replacing it (`put`), which marks it for the single UPDATE at `flush`.
 */
export class RowSet {
  private rows = new Map<string, Row>();
  private readonly dirty = new Set<string>();

  constructor(
    private readonly table: string,
    private readonly key: string,
  ) {}

  async load(client: PoolClient, keys: Iterable<string>): Promise<void> {
    this.rows = await selectRowsByKey(client, this.table, this.key, keys);
  }

  get(key: string): Row | undefined {
    return this.rows.get(key);
  }

  put(row: Row): void {
    const key = String(row[this.key]);
    this.rows.set(key, row);
    this.dirty.add(key);
  }

  async flush(client: PoolClient): Promise<void> {
    const changed = [...this.dirty].map((k) => this.rows.get(k)!);
    this.dirty.clear();
    await updateRows(client, this.table, [this.key], changed);
  }
}

/** `stream_version < version`: the guard every per-event UPDATE of a stream's row carries. */
export const isNewFor = (row: Row | undefined, version: number): row is Row =>
  row !== undefined && Number(row.stream_version) < version;
