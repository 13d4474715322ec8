import { Global, Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import type { Pool } from 'pg';
import { EvidenceOwnersQuery } from '@duban/read-models';
import { DUBAN_CONFIG, type DubanConfig } from '../config/config';
import { PG_POOL } from '../database/database.module';
import { ReadEvidenceController } from './read-evidence/read-evidence.controller';
import { DUBAN_EVIDENCE_CONFIG, type EvidenceConfig, loadEvidenceConfig } from './storage/evidence-config';
import { EVIDENCE_STORE, type EvidenceStore, LocalEvidenceStore } from './storage/evidence-store';
import { EvidenceIntake } from './storage/evidence-intake';
import { EvidenceUploadsRepository } from './storage/evidence-uploads.repository';
import { S3EvidenceStore } from './storage/s3-evidence-store';
import { MultipartErrors, UploadEvidenceController } from './upload-evidence/upload-evidence.controller';

const evidenceConfig = {
  provide: DUBAN_EVIDENCE_CONFIG,
  inject: [DUBAN_CONFIG],
  useFactory: (config: DubanConfig): EvidenceConfig => config.evidence ?? loadEvidenceConfig(),
};

/**
 * Evidence files: uploads stored by content hash (a folder, or an S3-compatible bucket), their record in the database
 * (global: the write side checks commands' references against it), and downloads under the findings' read rule.
 */
@Global()
@Module({
  imports: [
    MulterModule.registerAsync({
      inject: [DUBAN_CONFIG],
      // Memory storage: a file is hashed and checked whole before anything is stored. Names arrive as UTF-8.
      useFactory: (config: DubanConfig) => {
        const { maxBytes } = evidenceConfig.useFactory(config);
        return { limits: { fileSize: maxBytes, files: 1, fields: 4, parts: 5 }, defParamCharset: 'utf8' };
      },
    }),
  ],
  controllers: [UploadEvidenceController, ReadEvidenceController],
  providers: [
    evidenceConfig,
    MultipartErrors,
    EvidenceUploadsRepository,
    EvidenceIntake,
    {
      provide: EVIDENCE_STORE,
      inject: [DUBAN_EVIDENCE_CONFIG],
      useFactory: (c: EvidenceConfig): EvidenceStore => (c.s3 ? new S3EvidenceStore(c.s3) : new LocalEvidenceStore(c.dir)),
    },
    { provide: EvidenceOwnersQuery, inject: [PG_POOL], useFactory: (pool: Pool) => new EvidenceOwnersQuery(pool) },
  ],
  exports: [EvidenceUploadsRepository, EvidenceIntake],
})
export class EvidenceModule {}
