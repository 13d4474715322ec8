import { Alert } from 'antd';
import { useCampaigns, useCurrentCampaign } from './reference';

/**
 * 演示数据: a campaign the API marks `demo` (the demo county's month of history) is never mistaken for real work —
 * every screen showing it carries this banner. Without a campaign id, the campaign people work in is meant.
 */
export function DemoBanner({ campaignId }: { campaignId?: string | null }) {
  const campaigns = useCampaigns().data ?? [];
  const { campaign: current } = useCurrentCampaign();
  const campaign = campaignId ? campaigns.find((c) => c.campaignId === campaignId) : current;
  if (!campaign?.demo) return null;
  return (
    <Alert
      type="warning"
      showIcon
      banner
      role="note"
      aria-label="演示数据"
      message={<strong>演示数据</strong>}
      description={`「${campaign.name}」是演示用的专项行动：其中的问题、签字与记录均为虚构，不是真实工作数据。`}
      style={{ marginBottom: 12 }}
    />
  );
}
