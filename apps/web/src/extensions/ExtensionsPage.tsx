import { Link } from 'react-router-dom';
import { Card, Empty, List, Space, Typography } from 'antd';
import { useFindings } from '../shared/findings';
import { useCurrentCampaign, useUnitName } from '../shared/reference';
import { FindingActions } from '../finding/FindingActions';

/** 延期审批: open findings with an extension request waiting for a decision. */
export default function ExtensionsPage() {
  const { campaign } = useCurrentCampaign();
  const open = useFindings({ campaignId: campaign?.campaignId }, { enabled: !!campaign });
  const unitName = useUnitName();
  const rows = (open.data?.items ?? []).filter((f) => f.extensionPending);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        延期审批（{rows.length} 件）
      </Typography.Title>
      <List
        loading={open.isLoading}
        locale={{ emptyText: <Empty description="没有待审批的延期申请：责任单位申请延期后，在这里批准或驳回" /> }}
        dataSource={rows}
        renderItem={(f) => (
          <List.Item>
            <Card style={{ width: '100%' }} title={<Link to={`/case/${f.findingId}`}>{f.description}</Link>}>
              <p>
                {unitName(f.unitId)} · 责任人 {f.owner?.name ?? '—'} · 现期限 {f.dueDate}
              </p>
              <FindingActions f={f} />
            </Card>
          </List.Item>
        )}
      />
    </Space>
  );
}
