import { Module } from '@nestjs/common';
import { FindingListImportController } from './finding-list/finding-list-import.controller';
import { FindingListImportService } from './finding-list/finding-list-import.service';

/** Imports of a county's existing spreadsheets (issue 13): each reads its upload with the one reader in ./xlsx (the roster import in directory/ too). */
@Module({ controllers: [FindingListImportController], providers: [FindingListImportService] })
export class ImportsModule {}
