import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { api, commandHeaders, newIdempotencyKey, ok, type Finding } from '../api/client';
import { useFindings } from '../shared/findings';
import { useCategoryName, useCurrentCampaign, useUnitName, useUnits } from '../shared/reference';
import { fmtTime, SEVERITY } from '../shared/labels';
import { useDueDate } from '../shared/calendar';

/** The SLA clock of one undispatched finding: its dispatch deadline under the campaign's calendar. */
function SlaClock({ f, workdays }: { f: Finding; workdays: number }) {
  const due = useDueDate(workdays, f.campaignId, f.recordedAt ?? undefined).data;
  if (!due) return <span>…</span>;
  const late = Date.parse(due.deadlineAt) < Date.now();
  return <Tag color={late ? 'red' : 'green'}>{late ? `已超交办时限（${fmtTime(due.deadlineAt)}）` : `交办时限 ${fmtTime(due.deadlineAt)}`}</Tag>;
}

export default function DispatchBoard() {
  const { campaign } = useCurrentCampaign();
  const undispatched = useFindings({ campaignId: campaign?.campaignId, state: 'Recorded' }, { enabled: !!campaign });
  const unitName = useUnitName();
  const categoryName = useCategoryName();
  const units = (useUnits().data ?? []).filter((u) => u.kind === 'town' || u.kind === 'department');
  const [selected, setSelected] = useState<string[]>([]);
  const [unitId, setUnitId] = useState<string>();
  const [workdays, setWorkdays] = useState<number | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [key, setKey] = useState(newIdempotencyKey);
  const queries = useQueryClient();
  const { message } = App.useApp();
  const rows = undispatched.data?.items ?? [];
  const chosen = rows.filter((r) => selected.includes(r.findingId));
  const policy = campaign?.policy as { dispatchWithinWorkdays?: number; deadlineWorkdays?: Record<string, number> } | undefined;
  // One notice, one deadline: the shortest the chosen severities call for, unless the supervisor sets one.
  const defaultWorkdays = chosen.length ? Math.min(...chosen.map((c) => policy?.deadlineWorkdays?.[c.severity ?? 'blue'] ?? 20)) : undefined;
  const effective = workdays ?? defaultWorkdays;
  const due = useDueDate(effective, campaign?.campaignId);

  const dispatch = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/dispatch-notices', {
          params: { header: commandHeaders(key) },
          body: { findingIds: selected, unitId: unitId!, ...(workdays ? { deadlineWorkdays: workdays } : {}) },
        }),
      ),
    onSuccess: (r) => {
      message.success(`已签发 ${r.noticeNo}`);
      setSelected([]);
      setConfirming(false);
      setKey(newIdempotencyKey());
      void queries.invalidateQueries({ queryKey: ['findings'] });
    },
  });

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        交办（待交办 {rows.length} 件）
      </Typography.Title>
      {dispatch.data && (
        <Alert
          type="success"
          showIcon
          message={
            <span>
              督办通知书 {dispatch.data.noticeNo} 已签发。<Link to={`/print/notices/${encodeURIComponent(dispatch.data.noticeNo)}`} target="_blank">打印督办通知书</Link>
            </span>
          }
        />
      )}
      <Card>
        <Table<Finding>
          rowKey="findingId"
          size="small"
          loading={undispatched.isLoading}
          dataSource={rows}
         
          pagination={false}
          rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
          columns={[
            { title: '严重程度', dataIndex: 'severity', render: (s: string) => <Tag color={SEVERITY[s]?.color}>{SEVERITY[s]?.label}</Tag>, width: 90 },
            { title: '地点', render: (_, r) => `${unitName(r.townUnitId)} ${r.village ?? ''}` },
            { title: '问题', render: (_, r) => <Link to={`/case/${r.findingId}`}>{r.description}</Link> },
            { title: '条目', render: (_, r) => categoryName(r.categoryCode) },
            { title: '记录', render: (_, r) => `${r.recordedBy?.name ?? ''} ${fmtTime(r.recordedAt)}` },
            { title: '时限', render: (_, r) => <SlaClock f={r} workdays={policy?.dispatchWithinWorkdays ?? 1} /> },
          ]}
        />
      </Card>
      <Card title="交办所选问题">
        <Form layout="vertical">
          <Form.Item label="责任单位" htmlFor="dispatch-unit" required>
            <Select id="dispatch-unit" aria-label="责任单位" showSearch optionFilterProp="label" value={unitId} onChange={setUnitId} options={units.map((u) => ({ value: u.unitId, label: u.name }))} />
          </Form.Item>
          <Form.Item label="整改期限（工作日，留空按严重程度）" htmlFor="dispatch-workdays">
            <InputNumber id="dispatch-workdays" min={1} max={250} value={workdays} onChange={(v) => setWorkdays(v)} />
          </Form.Item>
          {due.data && (
            <Alert type="info" showIcon style={{ marginBottom: 16 }} message={`整改期限：${due.data.dueDate}（${effective} 个工作日${due.data.cappedByPhaseEnd ? '，以整改阶段结束日为限' : ''}）`} />
          )}
          <Button type="primary" disabled={!selected.length || !unitId} onClick={() => setConfirming(true)}>
            交办 {selected.length} 件
          </Button>
        </Form>
      </Card>
      <Modal
        open={confirming}
        title="签发督办通知书"
        okText="签字签发"
        cancelText="取消"
        confirmLoading={dispatch.isPending}
        onOk={() => dispatch.mutate()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          您将以本人名义签发一份督办通知书，把 {selected.length} 件问题交办至 <strong>{unitName(unitId)}</strong>，整改期限 <strong>{due.data?.dueDate ?? '…'}</strong>。
        </p>
        {dispatch.error && <Alert type="error" showIcon message={dispatch.error.message} />}
      </Modal>
    </Space>
  );
}
