import { Link } from 'react-router-dom';
import { Button, Card, Empty, Segmented, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { Finding } from '../api/client';
import { download } from '../api/client';
import { useFindings } from '../shared/findings';
import { useCurrentCampaign, useUnitName } from '../shared/reference';
import { STATE_LABELS } from '../shared/labels';
import { usePerson } from '../session/session';
import { useWorkdaysLeft } from '../shared/calendar';
import { FindingActions } from '../finding/FindingActions';
import { stageOf } from './stage';

type Filter = '全部' | '待认领' | '今日到期' | '已逾期';

/** 本单位问题: the unit's open findings, the most urgent first, each with the step it waits for. */
export default function InboxPage() {
  const person = usePerson();
  const { campaign } = useCurrentCampaign();
  const unitName = useUnitName();
  const list = useFindings({ campaignId: campaign?.campaignId, unitId: person.unitId }, { enabled: !!campaign });
  const open = (list.data?.items ?? []).filter((f) => f.state !== 'Closed' && f.state !== 'Annulled');
  const left = useWorkdaysLeft(open.map((f) => f.dueDate));
  const [filter, setFilter] = useState<Filter>('全部');
  const withStage = open
    .map((f) => ({ f, stage: stageOf(f, f.dueDate ? left.get(f.dueDate) : undefined) }))
    .sort((a, b) => rank(a.f) - rank(b.f) || (a.f.dueDate ?? '9').localeCompare(b.f.dueDate ?? '9'));
  const shown = withStage.filter(({ f, stage }) =>
    filter === '全部' ? true : filter === '待认领' ? f.state === 'Dispatched' : filter === '已逾期' ? f.overdue : stage.label === '今日到期',
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        {unitName(person.unitId)} · 本单位问题
      </Typography.Title>
      <Segmented<Filter> block options={['全部', '待认领', '今日到期', '已逾期']} value={filter} onChange={setFilter} aria-label="筛选" />
      {!shown.length && !list.isLoading && <Empty description="没有需要处理的问题" />}
      {shown.map(({ f, stage }) => (
        <InboxCard key={f.findingId} f={f} stage={stage} />
      ))}
      <Button onClick={() => void download(`/exports/units/${person.unitId}/claim-list.xlsx`, '问题认领清单.xlsx')}>导出问题认领清单</Button>
    </Space>
  );
}

const rank = (f: Finding) => (f.overdue ? 0 : f.state === 'Dispatched' ? 1 : f.state === 'InRectification' ? 2 : 3);

function InboxCard({ f, stage }: { f: Finding; stage: ReturnType<typeof stageOf> }) {
  return (
    <Card size="small" title={<Link to={`/case/${f.findingId}`}>{f.description}</Link>} extra={<Tag color={stage.color}>{stage.label}</Tag>}>
      <p style={{ margin: '0 0 8px' }}>
        {STATE_LABELS[f.state]} · {f.noticeNo ?? ''} · 期限 {f.dueDate ?? '—'} · 责任人 {f.owner?.name ?? '待认领'}
      </p>
      <FindingActions f={f} />
    </Card>
  );
}
