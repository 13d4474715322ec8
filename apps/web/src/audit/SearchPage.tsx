import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Card, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { Finding } from '../api/client';
import { download } from '../api/client';
import { useFindings } from '../shared/findings';
import { useCurrentCampaign, useUnitName, useUnits } from '../shared/reference';
import { SEVERITY, STATE_LABELS } from '../shared/labels';

type State = 'Recorded' | 'Dispatched' | 'InRectification' | 'AwaitingVerification' | 'Closed' | 'Annulled';

/** 问题查询 over the 问题台账: filters, the list, and both ledgers exported with the same filters. */
export default function SearchPage() {
  const { campaign } = useCurrentCampaign();
  const [state, setState] = useState<State>();
  const [severity, setSeverity] = useState<'red' | 'yellow' | 'blue'>();
  const [unitId, setUnitId] = useState<string>();
  const [overdue, setOverdue] = useState(false);
  const filters = { campaignId: campaign?.campaignId, state, severity, unitId, ...(overdue ? { overdue: true } : {}) };
  const list = useFindings(filters, { enabled: !!campaign });
  const unitName = useUnitName();
  const units = (useUnits().data ?? []).filter((u) => u.kind === 'town' || u.kind === 'department');
  const qs = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])).toString();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        问题查询（{list.data?.total ?? 0} 件）
      </Typography.Title>
      <Card>
        <Space wrap>
          <Select aria-label="状态" placeholder="状态" allowClear style={{ width: 120 }} value={state} onChange={setState} options={Object.entries(STATE_LABELS).map(([value, label]) => ({ value, label }))} />
          <Select aria-label="严重程度" placeholder="严重程度" allowClear style={{ width: 110 }} value={severity} onChange={setSeverity} options={Object.entries(SEVERITY).map(([value, s]) => ({ value, label: s.label }))} />
          <Select aria-label="责任单位" placeholder="责任单位" allowClear showSearch optionFilterProp="label" style={{ width: 160 }} value={unitId} onChange={setUnitId} options={units.map((u) => ({ value: u.unitId, label: u.name }))} />
          <span>
            <Switch aria-label="只看逾期" checked={overdue} onChange={setOverdue} /> 只看逾期
          </span>
          <Button onClick={() => void download(`/exports/finding-ledger.xlsx?${qs}`, '问题台账.xlsx')}>导出问题台账</Button>
          <Button onClick={() => void download(`/exports/rectification-ledger.xlsx?${qs}`, '整改台账.xlsx')}>导出整改台账</Button>
        </Space>
      </Card>
      <Table<Finding>
        rowKey="findingId"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
       
        columns={[
          { title: '问题', render: (_, f) => <Link to={`/case/${f.findingId}`}>{f.description}</Link> },
          { title: '严重程度', render: (_, f) => <Tag color={SEVERITY[f.severity ?? '']?.color}>{SEVERITY[f.severity ?? '']?.label}</Tag>, width: 90 },
          { title: '状态', render: (_, f) => <>{STATE_LABELS[f.state]}{f.overdue && <Tag color="red" style={{ marginLeft: 4 }}>逾期 {f.daysOverdue} 天</Tag>}</> },
          { title: '责任单位', render: (_, f) => unitName(f.unitId) },
          { title: '责任人', render: (_, f) => (f.owner ? <Link to={`/people/${f.owner.id}`}>{f.owner.name}</Link> : '—') },
          { title: '期限', dataIndex: 'dueDate' },
        ]}
      />
    </Space>
  );
}
