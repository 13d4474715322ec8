import { Select } from 'antd';
import { chooseCampaign, useCampaigns, useCurrentCampaign } from './reference';

/** 专项行动: which campaign every screen shows, offered only where the county has more than one. */
export function CampaignPicker() {
  const campaigns = useCampaigns().data ?? [];
  const { campaign } = useCurrentCampaign();
  if (campaigns.length < 2) return null;
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 12 }}>
      <label htmlFor="campaign-picker" style={{ whiteSpace: 'nowrap' }}>
        专项行动
      </label>
      <Select
        id="campaign-picker"
        aria-label="专项行动"
        style={{ flex: 1, minWidth: 0, maxWidth: 520 }}
        popupMatchSelectWidth={false}
        value={campaign?.campaignId}
        onChange={chooseCampaign}
        options={campaigns.map((c) => ({ value: c.campaignId, label: c.name }))}
      />
    </div>
  );
}
