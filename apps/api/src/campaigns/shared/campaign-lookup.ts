import { Injectable, PipeTransform } from '@nestjs/common';
import { InvalidInputError, NotFoundError } from '@duban/domain';
import { CampaignsQuery, CampaignView } from '@duban/read-models';

/** Every campaign view (its lifecycle, the cadence's reports) belongs to a campaign: an unknown one is a 404 before anything else is read. */
@Injectable()
export class CampaignLookup {
  constructor(private readonly campaigns: CampaignsQuery) {}

  async require(campaignId: string): Promise<CampaignView> {
    const campaign = await this.campaigns.get(campaignId);
    if (!campaign) throw new NotFoundError('CAMPAIGN_NOT_FOUND', `专项行动 ${campaignId} 不存在`);
    return campaign;
  }
}

const CAMPAIGN_ID = /^[a-z0-9-]{2,64}$/;

/** Campaign ids as CreateCampaign allows them; anything else cannot name a campaign. */
export class CampaignIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (typeof value !== 'string' || !CAMPAIGN_ID.test(value)) {
      throw new InvalidInputError('VALIDATION_FAILED', 'campaignId', '专项行动编号只能包含小写字母、数字和连字符');
    }
    return value;
  }
}
