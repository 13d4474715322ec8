import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, InputNumber, Space, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { newIdempotencyKey } from '../api/client';
import { submitOrQueue } from '../offline/sync';
import { PendingList } from '../offline/PendingList';
import { EvidenceUpload } from '../shared/EvidenceUpload';
import { useFinding } from '../shared/findings';

/** 今日进度: works without signal like the inspector's form — kept as 待同步 and sent when the network returns. */
export default function ProgressCapturePage() {
  const { findingId = '' } = useParams();
  const finding = useFinding(findingId).data;
  // Without signal the finding cannot be fetched: the inbox passed its description along (kept across a reload).
  const passed = useLocation().state as { description?: string } | null;
  const description = finding?.description ?? passed?.description;
  const [form] = Form.useForm<{ summary: string; percent?: number; evidence?: string[] }>();
  const [result, setResult] = useState<{ kind: 'sent' | 'queued' | 'refused'; message?: string }>();
  const queries = useQueryClient();
  const submit = async (v: { summary: string; percent?: number; evidence?: string[] }) => {
    const outcome = await submitOrQueue({
      key: newIdempotencyKey(),
      path: `/findings/${findingId}/progress`,
      body: { summary: v.summary, ...(v.percent !== undefined && v.percent !== null ? { percent: v.percent } : {}), evidence: v.evidence ?? [] },
      capturedAt: new Date().toISOString(),
      label: `今日进度：${description?.slice(0, 16) ?? findingId.slice(0, 8)}`,
    });
    if (outcome.sent) {
      setResult({ kind: 'sent' });
      form.resetFields();
      await queries.invalidateQueries();
    } else if (outcome.queued) {
      setResult({ kind: 'queued' });
      form.resetFields();
    } else setResult({ kind: 'refused', message: outcome.message });
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        今日进度
      </Typography.Title>
      <Typography.Paragraph>
        <Link to={`/case/${findingId}`}>{description ?? '问题'}</Link>
      </Typography.Paragraph>
      {result?.kind === 'sent' && <Alert type="success" showIcon message="今日进度已上报。" />}
      {result?.kind === 'queued' && <Alert type="warning" showIcon message="当前无网络：已保存在本机，待同步。恢复网络后自动上报。" />}
      {result?.kind === 'refused' && <Alert type="error" showIcon message={result.message} />}
      <PendingList />
      <Card>
        <Form form={form} layout="vertical" onFinish={submit}>
          <Form.Item name="summary" label="进度说明" rules={[{ required: true, whitespace: true, message: '请填写进度说明' }]}>
            <Input.TextArea rows={4} maxLength={4000} />
          </Form.Item>
          <Form.Item name="percent" label="完成百分比">
            <InputNumber min={0} max={100} />
          </Form.Item>
          <Form.Item name="evidence" label="现场照片">
            <EvidenceUpload offline label="上传现场照片" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block>
            上报今日进度
          </Button>
        </Form>
      </Card>
    </Space>
  );
}
