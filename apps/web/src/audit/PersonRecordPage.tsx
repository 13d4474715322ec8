import { useParams } from 'react-router-dom';
import { Link } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Space, Table, Tag, Typography } from 'antd';
import { api, ok } from '../api/client';
import { whenSigned } from '../shared/labels';

/** A person's record: every step they signed, and what is attributed to them (missed reports, overdue, escalations). */
export default function PersonRecordPage() {
  const { userId = '' } = useParams();
  const q = useQuery({
    queryKey: ['person-trail', userId],
    queryFn: () => ok(api.GET('/signers/{userId}/audit-trail', { params: { path: { userId }, query: { pageSize: 200 } } })),
  });
  if (q.error) return <Alert type="error" showIcon message={q.error.message} />;
  const items = q.data?.items ?? [];
  const signed = items.filter((e) => e.signer?.id === userId);
  const attributed = items.filter((e) => e.signer?.id !== userId);
  const name = signed[0]?.signer?.name ?? attributed[0]?.attributedTo?.person?.name ?? userId;
  const columns = [
    { title: '时间', render: (_: unknown, e: (typeof items)[number]) => whenSigned(e) },
    { title: '事项', render: (_: unknown, e: (typeof items)[number]) => (e.findingId ? <Link to={`/case/${e.findingId}`}>{e.summary}</Link> : e.summary) },
    { title: '理由', dataIndex: 'reason' },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        {name} 的履职记录
      </Typography.Title>
      <Card title={<>本人签字 <Tag>{signed.length}</Tag></>}>
        <Table size="small" rowKey="eventId" dataSource={signed} columns={columns} />
      </Card>
      <Card title={<>记在名下 <Tag color="orange">{attributed.length}</Tag></>}>
        <Table size="small" rowKey="eventId" dataSource={attributed} columns={columns} />
      </Card>
    </Space>
  );
}
