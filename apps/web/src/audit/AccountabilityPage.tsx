import { Link } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Space, Table, Tag, Typography } from 'antd';
import { api, download, ok } from '../api/client';
import { useCurrentCampaign, useUnitName } from '../shared/reference';
import { fmtTime } from '../shared/labels';

const KIND: Record<string, string> = {
  dispatch_overdue: '超时未交办',
  claim_overdue: '超时未认领',
  missed_report: '漏报进度',
  overdue: '逾期未整改',
  escalation: '升级',
  verification_overdue: '超时未验收',
  reopen: '回头看重新打开',
  self_check_overdue: '举一反三超期未签',
};
const LEVEL: Record<string, string> = { notice: '督办通知', interview: '约谈', accountability: '问责' };

/** 问责台账: every consequence against the person (or unit) that held the step. A unit official sees their unit. */
export default function AccountabilityPage() {
  const { campaign } = useCurrentCampaign();
  const unitName = useUnitName();
  const q = useQuery({
    queryKey: ['accountability', campaign?.campaignId],
    enabled: !!campaign,
    queryFn: () => ok(api.GET('/ledgers/accountability', { params: { query: { campaignId: campaign!.campaignId, pageSize: 200 } } })),
  });
  if (q.error) return <Alert type="error" showIcon message={q.error.message} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        问责台账（{q.data?.total ?? 0} 条）
      </Typography.Title>
      <Button onClick={() => void download(`/exports/accountability-ledger.xlsx?campaignId=${campaign?.campaignId ?? ''}`, '问责台账.xlsx')}>导出问责台账</Button>
      <Table
        size="small"
        rowKey={(r) => `${r.eventId}-${r.kind}-${r.person?.id ?? r.unitId}`}
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
       
        columns={[
          { title: '时间', render: (_, r) => fmtTime(r.occurredAt) },
          { title: '类别', render: (_, r) => <Tag color={r.kind === 'escalation' ? 'red' : 'orange'}>{KIND[r.kind] ?? r.kind}{r.level ? ` · ${LEVEL[r.level]}` : ''}</Tag> },
          { title: '责任人 / 单位', render: (_, r) => (r.person ? <Link to={`/people/${r.person.id}`}>{r.person.name}</Link> : unitName(r.unitId)) },
          {
            title: '问题',
            // A 举一反三 self-check row has no finding of its own; it links to the finding the propagation followed up.
            render: (_, r) =>
              r.findingId ? (
                <Link to={`/case/${r.findingId}`}>{r.noticeNo ?? r.findingId.slice(0, 8)}</Link>
              ) : r.originFindingId ? (
                <Link to={`/case/${r.originFindingId}`}>举一反三自查</Link>
              ) : (
                '举一反三自查'
              ),
          },
          { title: '说明', dataIndex: 'detail' },
        ]}
      />
    </Space>
  );
}
