import { Global, Module } from '@nestjs/common';
import {
  AccountCommands,
  CampaignCommands,
  CampaignContexts,
  DirectoryCommands,
  createWriteSide,
  FindingCommands,
  InspectionCommands,
  NoticeReceiptCommands,
  OfficialCalendarCommands,
  OfficialCalendars,
  PropagationCommands,
  WebhookSubscriptionCommands,
  type WriteSide,
} from '@duban/application';
import { EVENT_STORE, type EventStore, STREAM_LOCKS, type StreamLocks } from '@duban/event-store';
import { Pool } from 'pg';
import { PostgresWebhookSecrets } from '@duban/read-models';
import { CLOCK, type Clock, PG_POOL } from '../database/database.module';
import { DirectoryRepository } from '../directory/directory.repository';
import { EvidenceUploadsRepository } from '../evidence/storage/evidence-uploads.repository';

const WRITE_SIDE = Symbol('WRITE_SIDE');

/**
 * The write side (libs/application) wired to the API's store, clock, directory and the campaigns' PostgreSQL advisory
 * locks (notice numbers are gapless across API processes) and the evidence uploads. Controllers inject the service of their aggregate.
 */
@Global()
@Module({
  providers: [
    {
      provide: WRITE_SIDE,
      inject: [EVENT_STORE, CLOCK, STREAM_LOCKS, DirectoryRepository, EvidenceUploadsRepository, PG_POOL],
      useFactory: (store: EventStore, clock: Clock, locks: StreamLocks, units: DirectoryRepository, evidence: EvidenceUploadsRepository, pool: Pool): WriteSide =>
        createWriteSide({ store, clock, locks, units, evidence, directory: units, roster: units, webhookSecrets: new PostgresWebhookSecrets(pool) }),
    },
    { provide: FindingCommands, inject: [WRITE_SIDE], useFactory: (w: WriteSide) => w.findings },
    { provide: CampaignCommands, inject: [WRITE_SIDE], useFactory: (w: WriteSide) => w.campaigns },
    { provide: InspectionCommands, inject: [WRITE_SIDE], useFactory: (w: WriteSide) => w.inspections },
    { provide: OfficialCalendarCommands, inject: [WRITE_SIDE], useFactory: (w: WriteSide) => w.calendars },
    // The calendar queries compute with exactly what the write side decides with, published a moment ago included.
    { provide: OfficialCalendars, inject: [WRITE_SIDE], useFactory: (w: WriteSide) => w.officialCalendars },
    { provide: CampaignContexts, inject: [WRITE_SIDE], useFactory: (w: WriteSide) => w.campaignContexts },
    { provide: AccountCommands, inject: [WRITE_SIDE], useFactory: (w: WriteSide) => w.accounts },
    { provide: DirectoryCommands, inject: [WRITE_SIDE], useFactory: (w: WriteSide) => w.directory },
    { provide: PropagationCommands, inject: [WRITE_SIDE], useFactory: (w: WriteSide) => w.propagations },
    { provide: NoticeReceiptCommands, inject: [WRITE_SIDE], useFactory: (w: WriteSide) => w.receipts },
    { provide: WebhookSubscriptionCommands, inject: [WRITE_SIDE], useFactory: (w: WriteSide) => w.webhooks },
  ],
  exports: [FindingCommands, CampaignCommands, InspectionCommands, OfficialCalendarCommands, OfficialCalendars, DirectoryCommands, AccountCommands, CampaignContexts, PropagationCommands, NoticeReceiptCommands, WebhookSubscriptionCommands],
})
export class CommandsModule {}
