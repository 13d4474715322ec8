import type { Pool } from 'pg';

export interface EvidenceOwner {
  findingId: string;
  /** The unit the finding is assigned to now (null before dispatch). */
  unitId: string | null;
}

/**
 * The findings an evidence file is attached to (by recording, a progress report or a submission), as the 整改台账
 * lists their evidence: who may download a file is whoever may read one of them.
 */
export class EvidenceOwnersQuery {
  constructor(private readonly pool: Pool) {}

  async findingsOf(sha256: string): Promise<EvidenceOwner[]> {
    const { rows } = await this.pool.query<{ finding_id: string; unit_id: string | null }>(
      `SELECT r.finding_id, f.unit_id
         FROM rectification_ledger_v2 r LEFT JOIN finding_ledger_v2 f ON f.finding_id = r.finding_id
        WHERE r.evidence @> $1::jsonb
        ORDER BY r.finding_id`,
      [JSON.stringify([{ ref: sha256 }])],
    );
    return rows.map((r) => ({ findingId: r.finding_id, unitId: r.unit_id }));
  }
}
