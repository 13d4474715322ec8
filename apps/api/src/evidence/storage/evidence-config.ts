import { resolve } from 'node:path';
import type { S3Config } from './s3-evidence-store';

export interface EvidenceConfig {
  /** The local folder (DUBAN_EVIDENCE_DIR); unused when `s3` is set. */
  dir: string;
  /** Largest accepted upload in bytes (DUBAN_EVIDENCE_MAX_BYTES, default 20 MB). */
  maxBytes: number;
  s3?: S3Config;
}

const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

/** `.duban/evidence` of the repository, next to the embedded database's data. */
const defaultDir = (): string => resolve(__dirname, '..', '..', '..', '..', '..', '.duban', 'evidence');

export function loadEvidenceConfig(env: NodeJS.ProcessEnv = process.env): EvidenceConfig {
  const maxBytes = env.DUBAN_EVIDENCE_MAX_BYTES ? Number(env.DUBAN_EVIDENCE_MAX_BYTES) : DEFAULT_MAX_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) throw new Error('DUBAN_EVIDENCE_MAX_BYTES must be a positive integer');
  const bucket = env.DUBAN_EVIDENCE_S3_BUCKET?.trim();
  let s3: S3Config | undefined;
  if (bucket) {
    const need = (name: string): string => {
      const v = env[name]?.trim();
      if (!v) throw new Error(`${name} must be set with DUBAN_EVIDENCE_S3_BUCKET`);
      return v;
    };
    s3 = {
      bucket,
      endpoint: need('DUBAN_EVIDENCE_S3_ENDPOINT'),
      region: env.DUBAN_EVIDENCE_S3_REGION?.trim() || 'us-east-1',
      accessKeyId: need('DUBAN_EVIDENCE_S3_ACCESS_KEY_ID'),
      secretAccessKey: need('DUBAN_EVIDENCE_S3_SECRET_ACCESS_KEY'),
      prefix: env.DUBAN_EVIDENCE_S3_PREFIX?.trim() ?? '',
    };
  }
  return { dir: env.DUBAN_EVIDENCE_DIR?.trim() || defaultDir(), maxBytes, ...(s3 ? { s3 } : {}) };
}

export const DUBAN_EVIDENCE_CONFIG = Symbol('DUBAN_EVIDENCE_CONFIG');
