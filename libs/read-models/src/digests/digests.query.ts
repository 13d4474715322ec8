import type { Pool } from 'pg';
import type { DigestItem, DigestSection } from '@duban/domain';
import { dateText, iso, normalisePaging, type Page, type Paging, Where } from '../support';

export interface DigestView {
  digestKey: string;
  campaignId: string;
  unitId: string;
  workday: string;
  digestAt: string;
  since: string;
  title: string;
  sections: Record<DigestSection, DigestItem[]>;
  counts: Record<DigestSection, number>;
  recipients: string[];
  recordedAt: string;
}

export interface DigestFilters {
  campaignId?: string;
  unitId?: string;
  /** Inclusive workday range (YYYY-MM-DD). */
  from?: string;
  to?: string;
}

interface Row {
  digest_key: string;
  campaign_id: string;
  unit_id: string;
  workday: string;
  digest_at: Date;
  since: Date;
  title: string;
  sections: Record<DigestSection, DigestItem[]>;
  new_count: number;
  due_count: number;
  overdue_count: number;
  escalated_count: number;
  recipients: string[];
  recorded_at: Date;
}

const toView = (r: Row): DigestView => ({
  digestKey: r.digest_key,
  campaignId: r.campaign_id,
  unitId: r.unit_id,
  workday: r.workday,
  digestAt: iso(r.digest_at)!,
  since: iso(r.since)!,
  title: r.title,
  sections: r.sections,
  counts: { new: r.new_count, due: r.due_count, overdue: r.overdue_count, escalated: r.escalated_count },
  recipients: r.recipients,
  recordedAt: iso(r.recorded_at)!,
});

/** 摘要记录: the digests recorded, newest workday first (one per campaign, unit and workday). */
export class DigestsQuery {
  constructor(private readonly pool: Pool) {}

  async list(filters: DigestFilters, paging: Paging): Promise<Page<DigestView>> {
    const { page, pageSize, offset } = normalisePaging(paging);
    const where = new Where();
    if (filters.campaignId) where.add('campaign_id = ?', filters.campaignId);
    if (filters.unitId) where.add('unit_id = ?', filters.unitId);
    if (filters.from) where.add('workday >= ?::date', filters.from);
    if (filters.to) where.add('workday <= ?::date', filters.to);
    const count = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM unit_digests_v1 ${where}`, where.params);
    const rows = await this.pool.query<Row>(
      `SELECT digest_key, campaign_id, unit_id, ${dateText('workday')}, digest_at, since, title, sections, new_count, due_count,
              overdue_count, escalated_count, recipients, recorded_at
         FROM unit_digests_v1 ${where} ORDER BY workday DESC, campaign_id, unit_id LIMIT ${where.param(pageSize)} OFFSET ${where.param(offset)}`,
      where.params,
    );
    return { items: rows.rows.map(toView), total: Number(count.rows[0].n), page, pageSize };
  }
}
