import type { Pool } from 'pg';
import { iso, normalisePaging, type Page, type Paging } from '../support';

export const INBOX_STATUSES = ['unread', 'read', 'all'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];

export interface InboxNotice {
  noticeId: string;
  userId: string;
  about: string;
  kind: string;
  title: string;
  findingId: string | null;
  unitId: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface InboxPage extends Page<InboxNotice> {
  unread: number;
}

interface Row {
  notice_id: string;
  user_id: string;
  about: string;
  kind: string;
  title: string;
  finding_id: string | null;
  unit_id: string | null;
  created_at: Date;
  read_at: Date | null;
}

const toNotice = (r: Row): InboxNotice => ({
  noticeId: r.notice_id,
  userId: r.user_id,
  about: r.about,
  kind: r.kind,
  title: r.title,
  findingId: r.finding_id,
  unitId: r.unit_id,
  createdAt: iso(r.created_at)!,
  readAt: iso(r.read_at),
});

/** A person's inbox, newest first; the unread count rides along for the badge. */
export class InboxQuery {
  constructor(private readonly pool: Pool) {}

  async list(userId: string, status: InboxStatus, paging: Paging): Promise<InboxPage> {
    const { page, pageSize, offset } = normalisePaging(paging);
    const filter = status === 'unread' ? 'AND read_at IS NULL' : status === 'read' ? 'AND read_at IS NOT NULL' : '';
    const [rows, counts] = await Promise.all([
      this.pool.query<Row>(
        `SELECT * FROM inbox_notices_v1 WHERE user_id = $1 ${filter} ORDER BY created_at DESC, notice_id LIMIT $2 OFFSET $3`,
        [userId, pageSize, offset],
      ),
      this.pool.query<{ total: string; unread: string }>(
        `SELECT count(*) FILTER (WHERE true ${filter}) AS total, count(*) FILTER (WHERE read_at IS NULL) AS unread
           FROM inbox_notices_v1 WHERE user_id = $1`,
        [userId],
      ),
    ]);
    return { items: rows.rows.map(toNotice), total: Number(counts.rows[0].total), unread: Number(counts.rows[0].unread), page, pageSize };
  }

  async get(noticeId: string): Promise<InboxNotice | null> {
    const r = await this.pool.query<Row>('SELECT * FROM inbox_notices_v1 WHERE notice_id = $1', [noticeId]);
    return r.rows[0] ? toNotice(r.rows[0]) : null;
  }
}
