import { Module } from '@nestjs/common';
import { CreateCampaignController } from './create-campaign/create-campaign.controller';

@Module({ controllers: [CreateCampaignController] })
export class CampaignsModule {}
