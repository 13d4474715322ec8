import { useParams } from 'react-router-dom';
import { Alert, Card, Descriptions, Progress, Space, Spin, Tag, Typography } from 'antd';
import { useFinding } from '../shared/findings';
import { useCategoryName, useUnitName } from '../shared/reference';
import { fmtTime, SEVERITY, STATE_LABELS } from '../shared/labels';
import { FindingActions } from './FindingActions';
import { fanOutPercent, fanOutText } from './propagation-progress';
import { AuditTimeline } from './AuditTimeline';
import { EvidenceGallery } from './EvidenceGallery';
import { DemoBanner } from '../shared/DemoBanner';
import { useCurrentCampaign } from '../shared/reference';
import { Button } from 'antd';

export default function FindingPage() {
  const { findingId } = useParams();
  const finding = useFinding(findingId);
  const unitName = useUnitName();
  const categoryName = useCategoryName();
  const { campaign } = useCurrentCampaign();
  if (finding.isLoading) return <Spin tip="加载中" fullscreen={false} />;
  if (finding.error || !finding.data) return <Alert type="error" showIcon message={finding.error?.message ?? '没有此问题'} />;
  const f = finding.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {/* The layout's banner speaks for the current campaign; a finding of another (demo) campaign says so itself. */}
      {f.campaignId !== campaign?.campaignId && <DemoBanner campaignId={f.campaignId} />}
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        <Tag color={SEVERITY[f.severity ?? '']?.color}>{SEVERITY[f.severity ?? '']?.label}</Tag>
        {f.description}
      </Typography.Title>
      <Card>
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label="状态">
            {STATE_LABELS[f.state] ?? f.state}
            {f.overdue && <Tag color="red" style={{ marginLeft: 8 }}>已逾期 {f.daysOverdue} 天</Tag>}
            {f.extensionPending && <Tag color="gold" style={{ marginLeft: 8 }}>延期待审批</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label="清单条目">{categoryName(f.categoryCode)}</Descriptions.Item>
          <Descriptions.Item label="地点">
            {unitName(f.townUnitId)} {f.village} {f.household}
          </Descriptions.Item>
          <Descriptions.Item label="责任单位">{unitName(f.unitId)}</Descriptions.Item>
          <Descriptions.Item label="责任人">{f.owner?.name ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="督办通知书">{f.noticeNo ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="整改期限">{f.dueDate ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="记录">
            {f.recordedBy?.name} {fmtTime(f.recordedAt)}
          </Descriptions.Item>
          {f.propagation && (
            <Descriptions.Item label="举一反三">
              <Progress percent={fanOutPercent(f.propagation)} size="small" style={{ maxWidth: 200 }} />
              {fanOutText(f.propagation)}
            </Descriptions.Item>
          )}
        </Descriptions>
        {f.noticeNo && (
          <Button style={{ marginTop: 8 }} onClick={() => window.open(`/print/notices/${encodeURIComponent(f.noticeNo!)}`, '_blank')}>
            打印督办通知书
          </Button>
        )}
      </Card>
      <FindingActions f={f} />
      <EvidenceGallery findingId={f.findingId} />
      <Card
        title={
          <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
            审计轨迹
          </Typography.Title>
        }
      >
        <AuditTimeline findingId={f.findingId} />
      </Card>
    </Space>
  );
}
