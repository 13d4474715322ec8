import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Space, Table, Tabs, Tag, Typography } from 'antd';
import { api, download, ok } from '../api/client';
import { useCurrentCampaign } from '../shared/reference';
import { fmtTime } from '../shared/labels';
import { RankingChart } from './RankingChart';

const Latest = ({ when }: { when?: string }) => (when ? <Typography.Text type="secondary">发布于 {fmtTime(when)}</Typography.Text> : null);

function Bulletins({ campaignId }: { campaignId: string }) {
  const q = useQuery({ queryKey: ['bulletins', campaignId], queryFn: () => ok(api.GET('/campaigns/{campaignId}/bulletins', { params: { path: { campaignId } } })) });
  const last = q.data?.at(-1);
  if (!last) return <Empty description={q.isLoading ? '加载中' : '尚无日报：系统在每个工作日的截止时间后自动汇总发布（新增、交办、销号、逾期、漏报、升级）'} />;
  const t = last.content.totals;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {last.content.date} 日报 <Latest when={last.publishedAt} />
      </Typography.Title>
      <Space wrap>
        <Tag>新增 {t.newFindings}</Tag>
        <Tag>交办 {t.dispatched}</Tag>
        <Tag color="green">销号 {t.closed}</Tag>
        <Tag color="red">逾期 {t.overdue}</Tag>
        <Tag color="orange">漏报进度 {t.missedProgressReports}</Tag>
        <Tag color="orange">漏报督查 {t.missedInspectionReports}</Tag>
        <Tag color="red">升级 {t.escalations}</Tag>
      </Space>
      <Table size="small" rowKey={(r) => `${r.kind}-${r.findingId}-${r.unitId}-${r.person?.userId}`} dataSource={last.content.items} pagination={{ pageSize: 10 }}
        columns={[{ title: '单位', dataIndex: 'unitName' }, { title: '人员', render: (_, r) => r.person?.name ?? '—' }, { title: '事项', dataIndex: 'detail' }]} />
    </Space>
  );
}

function DispatchLists({ campaignId }: { campaignId: string }) {
  const q = useQuery({ queryKey: ['dispatch-lists', campaignId], queryFn: () => ok(api.GET('/campaigns/{campaignId}/dispatch-lists', { params: { path: { campaignId } } })) });
  const last = q.data?.at(-1);
  if (!last) return <Empty description={q.isLoading ? '加载中' : '尚无日交办：系统每个工作日自动列出当日签发的督办通知书和超时未交办的问题'} />;
  const c = last.content;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {c.date} 日交办 <Latest when={last.publishedAt} />
      </Typography.Title>
      <Space wrap>
        <Tag color="red">超时未交办 {c.flagged.length}</Tag>
        <Tag>待交办 {c.pending.length}</Tag>
        <Tag color={c.noticeSequenceGapless ? 'green' : 'red'}>{c.noticeSequenceGapless ? '文号连续' : '文号有缺号'}</Tag>
      </Space>
      <Table size="small" rowKey="noticeNo" dataSource={c.notices} pagination={false}
        columns={[{ title: '通知书文号', dataIndex: 'noticeNo' }, { title: '问题数', dataIndex: 'findingCount' }, { title: '签发时间', render: (_, r) => fmtTime(r.at) }]} />
    </Space>
  );
}

function Weekly({ campaignId }: { campaignId: string }) {
  const q = useQuery({ queryKey: ['weekly', campaignId], queryFn: () => ok(api.GET('/campaigns/{campaignId}/weekly-dispatches', { params: { path: { campaignId } } })) });
  const last = q.data?.at(-1);
  if (!last) return <Empty description={q.isLoading ? '加载中' : '尚无周调度：系统每周自动汇总各单位在办、到期、逾期和升级情况'} />;
  const c = last.content;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {c.week} 周调度（{c.periodStart} 至 {c.periodEnd}）
      </Typography.Title>
      {c.interviewList.length > 0 && <Alert type="error" showIcon message={`连续三周逾期、列入约谈：${c.interviewList.map((u) => u.unitName).join('、')}`} />}
      <Table size="small" rowKey="unitId" dataSource={c.rows} pagination={false}
        columns={[{ title: '单位', dataIndex: 'unitName' }, { title: '在办', dataIndex: 'open' }, { title: '本周到期', dataIndex: 'dueThisWeek' }, { title: '逾期', dataIndex: 'overdue' }, { title: '升级', dataIndex: 'escalated' }]} />
    </Space>
  );
}

function Monthly({ campaignId }: { campaignId: string }) {
  const q = useQuery({ queryKey: ['monthly', campaignId], queryFn: () => ok(api.GET('/campaigns/{campaignId}/monthly-reviews', { params: { path: { campaignId } } })) });
  const last = q.data?.at(-1);
  if (!last) return <Empty description={q.isLoading ? '加载中' : '尚无月讲评：每月初系统按评分公式对各单位排名并发布'} />;
  const c = last.content;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {c.month} 月度讲评（评分公式 {c.formulaVersion}）
      </Typography.Title>
      <Button type="primary" onClick={() => void download(`/campaigns/${campaignId}/monthly-reviews/${c.month}/export`, `月度讲评排名-${c.month}.xlsx`)}>
        导出月度讲评排名
      </Button>
      <RankingChart units={c.units.filter((u) => u.ranked)} />
    </Space>
  );
}

/** 通报与讲评: the daily bulletin, the daily dispatch list, the weekly dispatch and the monthly ranking. */
export default function ReportsPage() {
  const { campaign } = useCurrentCampaign();
  if (!campaign) return null;
  const id = campaign.campaignId;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        通报与讲评 · {campaign.name}
      </Typography.Title>
      <Card>
        <Tabs
          items={[
            { key: 'bulletin', label: '日报', children: <Bulletins campaignId={id} /> },
            { key: 'dispatch', label: '日交办', children: <DispatchLists campaignId={id} /> },
            { key: 'weekly', label: '周调度', children: <Weekly campaignId={id} /> },
            { key: 'monthly', label: '月讲评', children: <Monthly campaignId={id} /> },
          ]}
        />
      </Card>
    </Space>
  );
}
