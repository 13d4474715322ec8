import { CampaignIdPipe } from './campaign-lookup';

describe('campaign path parameters', () => {
  it('a campaign id is what CreateCampaign allows', () => {
    expect(new CampaignIdPipe().transform('campaign-2026-q4')).toBe('campaign-2026-q4');
    expect(() => new CampaignIdPipe().transform('Campaign_1')).toThrow(expect.objectContaining({ field: 'campaignId' }));
  });
});
