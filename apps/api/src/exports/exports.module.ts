import { Module } from '@nestjs/common';
import { ExportsController } from './exports.controller';

/** Streamed XLSX exports of the ledgers (问题台账, 整改台账, 问题认领清单, 问责台账). */
@Module({ controllers: [ExportsController] })
export class ExportsModule {}
