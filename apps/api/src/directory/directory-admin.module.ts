import { Module } from '@nestjs/common';
import { DirectoryViewsQuery } from '@duban/read-models';
import { queryProviders } from '../ledgers/shared/read-model.providers';
import { DirectoryQueriesController, DirectoryQueryHandler } from './directory-queries/directory-queries.controller';
import { ManagePeopleController } from './manage-people/manage-people.controller';
import { ManageUnitsController } from './manage-units/manage-units.controller';
import { RosterImport } from './roster-import/roster-import';
import { RosterImportController } from './roster-import/roster-import.controller';

/** The directory's administration: unit and person commands, the roster import, and the directory's reads and audit. */
@Module({
  controllers: [ManageUnitsController, ManagePeopleController, DirectoryQueriesController, RosterImportController],
  providers: [...queryProviders(DirectoryViewsQuery), DirectoryQueryHandler, RosterImport],
})
export class DirectoryAdminModule {}
