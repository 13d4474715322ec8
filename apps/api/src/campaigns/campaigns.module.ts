import { Module } from '@nestjs/common';
import { CreateCampaignController } from './create-campaign/create-campaign.controller';
import { CampaignCommandService } from './shared/campaign-command.service';

@Module({ controllers: [CreateCampaignController], providers: [CampaignCommandService], exports: [CampaignCommandService] })
export class CampaignsModule {}
