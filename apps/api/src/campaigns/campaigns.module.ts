import { Module } from '@nestjs/common';
import { CadenceReportsQuery, CampaignsQuery } from '@duban/read-models';
import { queryProviders } from '../ledgers/shared/read-model.providers';
import { CampaignLifecycleController, GetCampaignLifecycleHandler } from './campaign-lifecycle/campaign-lifecycle.controller';
import { CreateCampaignController } from './create-campaign/create-campaign.controller';
import { ReminderSettingsController } from './reminder-settings/reminder-settings.controller';
import { CampaignLookup } from './shared/campaign-lookup';

/**
 * Campaigns (专项行动): creating one, its lifecycle (暂停、恢复、结束) and its reminder settings (提醒设置). Exports the lookup every campaign-scoped view
 * (the cadence's reports) answers an unknown campaign with.
 */
@Module({
  controllers: [CreateCampaignController, CampaignLifecycleController, ReminderSettingsController],
  providers: [...queryProviders(CampaignsQuery, CadenceReportsQuery), CampaignLookup, GetCampaignLifecycleHandler],
  exports: [CampaignLookup],
})
export class CampaignsModule {}
