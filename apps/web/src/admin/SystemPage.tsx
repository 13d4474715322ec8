import { useQuery } from '@tanstack/react-query';
import { Alert, Space, Table, Tag, Typography } from 'antd';
import { api, ok } from '../api/client';
import { fmtTime } from '../shared/labels';

/** What each ledger is called on this screen; the projection's own name is shown beside it for the operator. */
const LEDGER_NAMES: Record<string, string> = {
  finding_ledger: '问题台账',
  rectification_ledger: '整改台账',
  accountability_ledger: '问责台账',
  claim_list: '问题认领清单',
  audit_trail: '审计轨迹',
  dispatch_notices: '督办通知书',
  campaigns: '专项行动',
  campaign_lifecycle: '专项行动阶段',
  cadence_reports: '通报与讲评',
  inspection_reports: '督查日报',
  directory: '单位与人员',
  account_audit: '账号审计',
  propagation: '举一反三',
  self_check_accountability: '举一反三问责台账',
  webhook_subscriptions: '外部系统订阅',
};

type Row = Awaited<ReturnType<typeof load>>['projections'][number];
const load = () => ok(api.GET('/operations/projections'));

/**
 * 系统运行: whether every ledger keeps up with the signed record. A ledger that cannot apply an event stops there (it
 * never skips one) and says which event and why; the operator fixes the cause and rebuilds it.
 */
export default function SystemPage() {
  const q = useQuery({ queryKey: ['operations-projections'], queryFn: load, refetchInterval: 10_000 });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        系统运行
      </Typography.Title>
      <Typography.Paragraph>
        各台账由签字记录（事件日志）逐条生成。“落后”是台账尚未处理的事件数，正常时为 0 或很快回到 0；某台账若因一条事件无法处理而停止，这里会写明事件与原因，修复后由运维人员运行 <Typography.Text code>npm run rebuild -- 台账名</Typography.Text> 重建。
      </Typography.Paragraph>
      {q.error && <Alert type="error" showIcon message={q.error.message} />}
      {q.data && (
        <Alert type={q.data.anyFailed ? 'error' : 'success'} showIcon message={q.data.anyFailed ? '有台账已停止更新，见下表' : '全部台账正常更新'} />
      )}
      <Table<Row>
        rowKey="name"
        size="small"
        loading={q.isLoading}
        pagination={false}
        dataSource={q.data?.projections ?? []}
        columns={[
          { title: '台账', render: (_, p) => <>{LEDGER_NAMES[p.name] ?? p.name} <Typography.Text type="secondary">（{p.name} v{p.version}）</Typography.Text></> },
          { title: '状态', render: (_, p) => (p.failed ? <Tag color="red">已停止</Tag> : <Tag color="green">正常</Tag>) },
          { title: '落后事件', render: (_, p) => `${p.lag}${p.lagCapped ? '+' : ''}` },
          { title: '最近更新', render: (_, p) => fmtTime(p.updatedAt) },
          { title: '原因', render: (_, p) => (p.failure ? `${p.failure.event?.type ?? ''} ${p.failure.error}` : '—') },
        ]}
      />
    </Space>
  );
}
