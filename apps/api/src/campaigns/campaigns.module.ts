import { Module } from '@nestjs/common';
import { CadenceReportsQuery, CampaignsQuery } from '@duban/read-models';
import { queryProviders } from '../ledgers/shared/read-model.providers';
import { CampaignLifecycleController, GetCampaignLifecycleHandler } from './campaign-lifecycle/campaign-lifecycle.controller';
import { CreateCampaignController } from './create-campaign/create-campaign.controller';
import { CampaignLookup } from './shared/campaign-lookup';

/**
 * Campaigns (专项行动): creating one, and its lifecycle (暂停、恢复、结束). Exports the lookup every campaign-scoped view
 * (the cadence's reports) answers an unknown campaign with.
 */
@Module({
  controllers: [CreateCampaignController, CampaignLifecycleController],
  providers: [...queryProviders(CampaignsQuery, CadenceReportsQuery), CampaignLookup, GetCampaignLifecycleHandler],
  exports: [CampaignLookup],
})
export class CampaignsModule {}
