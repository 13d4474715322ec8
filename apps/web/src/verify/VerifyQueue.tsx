import { Link } from 'react-router-dom';
import { Card, Empty, List, Space, Tag, Typography } from 'antd';
import { useFindings } from '../shared/findings';
import { useCurrentCampaign, useUnitName } from '../shared/reference';
import { fmtTime, SEVERITY } from '../shared/labels';
import { FindingActions } from '../finding/FindingActions';

/** 验收销号: what waits for a supervisor's verification; each card offers verification only to those who may. */
export default function VerifyQueue() {
  const { campaign } = useCurrentCampaign();
  const waiting = useFindings({ campaignId: campaign?.campaignId, state: 'AwaitingVerification' }, { enabled: !!campaign });
  const unitName = useUnitName();
  const rows = waiting.data?.items ?? [];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        验收销号（待验收 {rows.length} 件）
      </Typography.Title>
      <List
        loading={waiting.isLoading}
        locale={{ emptyText: <Empty description="没有待验收的问题：责任单位签字确认整改完成后，在这里验收销号或退回" /> }}
        dataSource={rows}
        renderItem={(f) => (
          <List.Item>
            <Card style={{ width: '100%' }} title={<Link to={`/case/${f.findingId}`}>{f.description}</Link>} extra={<Tag color={SEVERITY[f.severity ?? '']?.color}>{SEVERITY[f.severity ?? '']?.label}</Tag>}>
              <p>
                {unitName(f.unitId)} · 责任人 {f.owner?.name ?? '—'} · 整改签字 {f.rectificationSignedBy?.name ?? '—'} {fmtTime(f.rectificationSignedAt)}
              </p>
              <FindingActions f={f} />
            </Card>
          </List.Item>
        )}
      />
    </Space>
  );
}
