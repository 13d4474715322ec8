import { Global, Module } from '@nestjs/common';
import { CampaignCommands, CampaignContexts, createWriteSide, FindingCommands, InspectionCommands, type WriteSide } from '@duban/application';
import { EVENT_STORE, type EventStore, STREAM_LOCKS, type StreamLocks } from '@duban/event-store';
import { CLOCK, type Clock } from '../database/database.module';
import { DirectoryRepository } from '../directory/directory.repository';

const WRITE_SIDE = Symbol('WRITE_SIDE');

/**
 * The write side (libs/application) wired to the API's store, clock, directory and the campaigns' PostgreSQL advisory
 * locks (notice numbers are gapless across API processes). Controllers inject the service of their aggregate.
 */
@Global()
@Module({
  providers: [
    {
      provide: WRITE_SIDE,
      inject: [EVENT_STORE, CLOCK, STREAM_LOCKS, DirectoryRepository],
      useFactory: (store: EventStore, clock: Clock, locks: StreamLocks, units: DirectoryRepository): WriteSide =>
        createWriteSide({ store, clock, locks, units }),
    },
    { provide: FindingCommands, inject: [WRITE_SIDE], useFactory: (w: WriteSide) => w.findings },
    { provide: CampaignCommands, inject: [WRITE_SIDE], useFactory: (w: WriteSide) => w.campaigns },
    { provide: InspectionCommands, inject: [WRITE_SIDE], useFactory: (w: WriteSide) => w.inspections },
    { provide: CampaignContexts, inject: [WRITE_SIDE], useFactory: (w: WriteSide) => w.campaignContexts },
  ],
  exports: [FindingCommands, CampaignCommands, InspectionCommands, CampaignContexts],
})
export class CommandsModule {}
