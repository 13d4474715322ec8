import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@duban/domain';
import { CampaignsQuery, CampaignView } from '@duban/read-models';

/** Every cadence view belongs to a campaign: an unknown one is a 404 before anything else is read. */
@Injectable()
export class CampaignLookup {
  constructor(private readonly campaigns: CampaignsQuery) {}

  async require(campaignId: string): Promise<CampaignView> {
    const campaign = await this.campaigns.get(campaignId);
    if (!campaign) throw new NotFoundError('CAMPAIGN_NOT_FOUND', `专项行动 ${campaignId} 不存在`);
    return campaign;
  }
}

/** The report a period key names, or the 404 that it was not (yet) published. */
export function published<T>(report: T | null | undefined, what: string, key: string): T {
  if (report === null || report === undefined) {
    throw new NotFoundError('REPORT_NOT_PUBLISHED', `${what} ${key} 尚未发布`);
  }
  return report;
}
