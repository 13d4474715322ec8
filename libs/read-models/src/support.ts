import type { RecordedEvent } from '@duban/event-store';

/** What every signed event carries; read defensively so an unsigned system event still projects. */
export interface Signer {
  userId: string;
  name: string;
  unitId: string;
  role: string;
}

const FINDING_PREFIX = 'finding-';
const CAMPAIGN_PREFIX = 'campaign-';

/** Later finding events do not repeat the finding id; the stream name is the one place it always lives. */
export function findingIdOf(streamId: string): string | null {
  return streamId.startsWith(FINDING_PREFIX) ? streamId.slice(FINDING_PREFIX.length) : null;
}

export function campaignIdOf(streamId: string): string | null {
  return streamId.startsWith(CAMPAIGN_PREFIX) ? streamId.slice(CAMPAIGN_PREFIX.length) : null;
}

export function signerOf(event: RecordedEvent): Signer | null {
  const s = (event.data as { signedBy?: Partial<Signer> }).signedBy;
  if (!s || typeof s.userId !== 'string') return null;
  return { userId: s.userId, name: s.name ?? '', unitId: s.unitId ?? '', role: s.role ?? '' };
}

/** The domain's time of the act (server clock at decide time); falls back to the store's time for unsigned events. */
export function atOf(event: RecordedEvent): string {
  const at = (event.data as { at?: unknown }).at;
  return typeof at === 'string' ? at : event.recordedAt;
}

export function dataOf<T>(event: RecordedEvent): T {
  return event.data as unknown as T;
}

// ---------- query helpers ----------

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Paging {
  page?: number;
  pageSize?: number;
}

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

/** Clamps rather than refuses: a bad page number is a UI slip, not worth a 400 from a read-only list. */
export function normalisePaging(p: Paging): { page: number; pageSize: number; offset: number } {
  const page = Number.isInteger(p.page) && (p.page as number) >= 1 ? (p.page as number) : 1;
  const size = Number.isInteger(p.pageSize) && (p.pageSize as number) >= 1 ? (p.pageSize as number) : DEFAULT_PAGE_SIZE;
  const pageSize = Math.min(size, MAX_PAGE_SIZE);
  return { page, pageSize, offset: (page - 1) * pageSize };
}

export const iso = (v: Date | null | undefined): string | null => (v ? v.toISOString() : null);

/** Builds `WHERE a = $1 AND …` with numbered parameters. */
export class Where {
  readonly params: unknown[] = [];
  private readonly parts: string[] = [];

  add(sqlWithPlaceholder: string, ...values: unknown[]): this {
    let sql = sqlWithPlaceholder;
    for (const v of values) {
      this.params.push(v);
      sql = sql.replace('?', `$${this.params.length}`);
    }
    this.parts.push(sql);
    return this;
  }

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  toString(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}

/** Dates are selected as text so node-pg never turns a calendar date into a local-midnight Date. */
export const dateText = (column: string, alias = column): string => `to_char(${column}, 'YYYY-MM-DD') AS ${alias}`;

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/**
 * An instant as a deadline reads in Asia/Shanghai: 24:00 of a date (where workday deadlines end) is that date,
 * any other instant is 'YYYY-MM-DD HH:MM'. Pure, so a rebuild words it the same way.
 */
export function shanghaiDeadlineText(instant: unknown): string {
  if (typeof instant !== 'string') return '';
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return instant;
  const local = new Date(ms + SHANGHAI_OFFSET_MS).toISOString();
  if (local.slice(11, 23) === '00:00:00.000') return new Date(ms + SHANGHAI_OFFSET_MS - 1).toISOString().slice(0, 10);
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}

/** The Asia/Shanghai calendar date of an instant ('' for anything else). */
export function shanghaiDateText(instant: unknown): string {
  if (typeof instant !== 'string') return '';
  const ms = Date.parse(instant);
  return Number.isNaN(ms) ? instant : new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}
