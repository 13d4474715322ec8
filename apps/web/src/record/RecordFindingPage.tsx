import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Cascader, Form, Input, Radio, Select, Space, Typography } from 'antd';
import { useChecklist, useCurrentCampaign, useSources, useUnits } from '../shared/reference';
import { EvidenceUpload } from '../shared/EvidenceUpload';
import { submitOrQueue } from '../offline/sync';
import { newIdempotencyKey } from '../api/client';
import { PendingList } from '../offline/PendingList';

interface Values {
  source: string;
  category: [string, string];
  severity: 'red' | 'yellow' | 'blue';
  townUnitId: string;
  village?: string;
  household?: string;
  description: string;
  evidence?: string[];
}

type Result = { kind: 'sent'; findingId: string } | { kind: 'queued' } | { kind: 'refused'; message: string };

/** 记录问题: works without signal — kept on the phone as 待同步 and sent with its key when the network returns. */
export default function RecordFindingPage() {
  const [form] = Form.useForm<Values>();
  const { campaign } = useCurrentCampaign();
  const checklist = useChecklist().data;
  const sources = useSources().data ?? [];
  const towns = (useUnits().data ?? []).filter((u) => u.kind === 'town');
  const queries = useQueryClient();
  const [result, setResult] = useState<Result>();
  const [busy, setBusy] = useState(false);

  const options = (checklist?.areas ?? []).map((a) => ({
    value: a.code,
    label: `${a.code} ${a.name}`,
    children: checklist!.items.filter((i) => i.areaCode === a.code).map((i) => ({ value: i.code, label: `${i.code} ${i.name}` })),
  }));

  const submit = async (v: Values) => {
    if (!campaign) return;
    setBusy(true);
    const body = {
      campaignId: campaign.campaignId,
      source: v.source,
      categoryCode: v.category[1],
      severity: v.severity,
      townUnitId: v.townUnitId,
      village: v.village || undefined,
      household: v.household || undefined,
      description: v.description,
      evidence: v.evidence ?? [],
    };
    const town = towns.find((t) => t.unitId === v.townUnitId)?.name ?? v.townUnitId;
    const outcome = await submitOrQueue({
      key: newIdempotencyKey(),
      path: '/findings',
      body,
      capturedAt: new Date().toISOString(),
      label: `记录问题：${town}${v.village ?? ''} ${v.description.slice(0, 20)}`,
    });
    setBusy(false);
    if (outcome.sent) {
      setResult({ kind: 'sent', findingId: (outcome.body as { findingId: string }).findingId });
      await queries.invalidateQueries({ queryKey: ['findings'] });
      form.resetFields();
    } else if (outcome.queued) {
      setResult({ kind: 'queued' });
      form.resetFields();
    } else setResult({ kind: 'refused', message: outcome.message ?? '提交失败' });
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        记录问题
      </Typography.Title>
      {result?.kind === 'sent' && (
        <Alert type="success" showIcon message={<span>已记录并签字。<Link to={`/case/${result.findingId}`}>查看问题</Link></span>} />
      )}
      {result?.kind === 'queued' && <Alert type="warning" showIcon message="当前无网络：已保存在本机，待同步。恢复网络后自动提交。" />}
      {result?.kind === 'refused' && <Alert type="error" showIcon message={result.message} />}
      <PendingList />
      <Card>
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ severity: 'yellow', source: 'household_inspection' }}>
          <Form.Item name="source" label="问题来源" rules={[{ required: true, message: '请选择来源' }]}>
            <Select options={sources.map((s) => ({ value: s.code, label: s.label }))} />
          </Form.Item>
          <Form.Item name="category" label="清单条目" rules={[{ required: true, message: '请选择清单条目' }]}>
            <Cascader options={options} placeholder="方面 / 条目（22 项）" showSearch expandTrigger="hover" />
          </Form.Item>
          <Form.Item name="severity" label="严重程度" rules={[{ required: true }]}>
            <Radio.Group optionType="button" buttonStyle="solid">
              <Radio.Button value="red">红</Radio.Button>
              <Radio.Button value="yellow">黄</Radio.Button>
              <Radio.Button value="blue">蓝</Radio.Button>
            </Radio.Group>
          </Form.Item>
          <Form.Item name="townUnitId" label="乡镇" rules={[{ required: true, message: '请选择乡镇' }]}>
            <Select showSearch optionFilterProp="label" options={towns.map((t) => ({ value: t.unitId, label: t.name }))} />
          </Form.Item>
          <Form.Item name="village" label="行政村">
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="household" label="农户">
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="description" label="问题描述" rules={[{ required: true, whitespace: true, message: '请填写问题描述' }]}>
            <Input.TextArea rows={4} maxLength={4000} showCount />
          </Form.Item>
          <Form.Item name="evidence" label="佐证照片">
            <EvidenceUpload offline />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} disabled={!campaign} block>
            签字提交
          </Button>
        </Form>
      </Card>
    </Space>
  );
}
