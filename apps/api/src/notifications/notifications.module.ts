import { Module } from '@nestjs/common';
import { DigestsQuery, InboxQuery } from '@duban/read-models';
import { queryProviders } from '../ledgers/shared/read-model.providers';
import { GetInboxHandler, InboxController } from './inbox/inbox.controller';
import { WebhooksController } from './webhooks/webhooks.controller';
import { DigestsController, GetDigestsHandler } from './digests/digests.controller';

/** Notifications from the log: the in-app inbox and its read receipts; the daily digests' history; webhook subscriptions and their dead letters. */
@Module({
  controllers: [InboxController, WebhooksController, DigestsController],
  providers: [...queryProviders(InboxQuery, DigestsQuery), GetInboxHandler, GetDigestsHandler],
})
export class NotificationsModule {}
