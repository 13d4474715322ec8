import { Module } from '@nestjs/common';
import { InboxQuery } from '@duban/read-models';
import { queryProviders } from '../ledgers/shared/read-model.providers';
import { GetInboxHandler, InboxController } from './inbox/inbox.controller';

/** Notifications from the log: the in-app inbox and its read receipts. */
@Module({
  controllers: [InboxController],
  providers: [...queryProviders(InboxQuery), GetInboxHandler],
})
export class NotificationsModule {}
