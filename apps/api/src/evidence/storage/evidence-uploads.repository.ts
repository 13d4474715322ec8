import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { EvidenceCatalog } from '@duban/application';
import type { EvidenceFile } from '@duban/domain';
import { PG_POOL } from '../../database/database.module';

export interface StoredEvidence {
  sha256: string;
  type: string;
  size: number;
  thumbnailSha256: string | null;
}

/**
 * The record of evidence uploads (evidence_files: what each stored file is; evidence_uploads: who uploaded which bytes
 * under which name, when). The write side asks it whether a command's references were uploaded (EvidenceCatalog).
 */
@Injectable()
export class EvidenceUploadsRepository implements EvidenceCatalog {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** One transaction: the stored file's row once, and this upload's row every time. */
  async record(file: StoredEvidence, upload: { name: string; uploadedBy: string; at: Date }): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO evidence_files (sha256, type, size, thumbnail_sha256, stored_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (sha256) DO NOTHING`,
        [file.sha256, file.type, file.size, file.thumbnailSha256, upload.at],
      );
      await client.query(
        `INSERT INTO evidence_uploads (sha256, name, type, size, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [file.sha256, upload.name, file.type, file.size, upload.uploadedBy, upload.at],
      );
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async stored(sha256: string): Promise<StoredEvidence | null> {
    const { rows } = await this.pool.query(
      `SELECT sha256, type, size::int AS size, thumbnail_sha256 AS "thumbnailSha256" FROM evidence_files WHERE sha256 = $1`,
      [sha256],
    );
    return rows[0] ?? null;
  }

  async files(sha256s: string[], uploaderId: string): Promise<EvidenceFile[]> {
    const { rows } = await this.pool.query<EvidenceFile>(
      `SELECT DISTINCT ON (sha256) sha256, name, type, size::int AS size FROM evidence_uploads
        WHERE sha256 = ANY($1::text[])
        ORDER BY sha256, (uploaded_by = $2) DESC, upload_id`,
      [sha256s, uploaderId],
    );
    return rows;
  }

  /** The name to serve the file under: as `userId` uploaded it, else as it was first uploaded. */
  async nameFor(sha256: string, userId: string): Promise<{ name: string; uploadedByUser: boolean } | null> {
    const [file] = await this.files([sha256], userId);
    if (!file) return null;
    const { rows } = await this.pool.query('SELECT 1 FROM evidence_uploads WHERE sha256 = $1 AND uploaded_by = $2 LIMIT 1', [sha256, userId]);
    return { name: file.name, uploadedByUser: rows.length > 0 };
  }
}
