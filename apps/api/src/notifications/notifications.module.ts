import { Module } from '@nestjs/common';
import { InboxQuery } from '@duban/read-models';
import { queryProviders } from '../ledgers/shared/read-model.providers';
import { GetInboxHandler, InboxController } from './inbox/inbox.controller';
import { WebhooksController } from './webhooks/webhooks.controller';

/** Notifications from the log: the in-app inbox and its read receipts; webhook subscriptions and their dead letters. */
@Module({
  controllers: [InboxController, WebhooksController],
  providers: [...queryProviders(InboxQuery), GetInboxHandler],
})
export class NotificationsModule {}
