import { Link } from 'react-router-dom';
import { DatePicker, Form, Input, InputNumber, Radio, Select, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import type { Finding } from '../api/client';
import { usePerson } from '../session/session';
import { mayVerify, whyNotVerify } from '../shared/labels';
import { sendFindingCommand } from '../shared/commands';
import { useUnits } from '../shared/reference';
import { useQueryClient } from '@tanstack/react-query';
import { EvidenceUpload } from '../shared/EvidenceUpload';
import { ActionDialog } from './ActionDialog';

const required = (message: string) => [{ required: true, whitespace: true, message }];

/** The steps this person may sign on this finding now — and no other (the API refuses the rest anyway). */
export function FindingActions({ f }: { f: Finding }) {
  const person = usePerson();
  const queries = useQueryClient();
  const units = (useUnits().data ?? []).filter((u) => (u.kind === 'town' || u.kind === 'department') && u.unitId !== f.unitId);
  const v = { expectedVersion: f.streamVersion };
  const run = async (p: Promise<unknown>) => {
    await p;
    await queries.invalidateQueries();
  };
  const actions = [];

  if (person.role === 'unit_official' && f.unitId === person.unitId) {
    if (f.state === 'Dispatched')
      actions.push(
        <ActionDialog
          key="claim"
          type="primary"
          label="认领"
          title="认领问题"
          statement="您将对此问题的整改负责（谁整改谁签字谁清零）。认领后，整改期限、每日进度和整改完成都记在您的名下。"
          okText="我认领，签字"
          onSubmit={() => run(sendFindingCommand(f.findingId, 'claim', v))}
        />,
      );
    if (f.state === 'InRectification' && f.owner?.id === person.userId) {
      if (!f.planSubmittedAt)
        actions.push(
          <ActionDialog<{ plan: string; measures: string; date?: Dayjs }>
            key="plan"
            label="一题一策"
            title="提交整改方案（一题一策）"
            statement="方案以您的名义签字提交。"
            onSubmit={(x) =>
              run(
                sendFindingCommand(f.findingId, 'plan', {
                  ...v,
                  plan: x.plan,
                  measures: x.measures.split('\n').map((m) => m.trim()).filter(Boolean),
                  ...(x.date ? { plannedCompletionDate: x.date.format('YYYY-MM-DD') } : {}),
                }),
              )
            }
          >
            <Form.Item name="plan" label="整改方案" rules={required('请填写整改方案')}>
              <Input.TextArea rows={3} />
            </Form.Item>
            <Form.Item name="measures" label="整改措施（每行一条）" rules={required('至少一条措施')}>
              <Input.TextArea rows={3} />
            </Form.Item>
            <Form.Item name="date" label="计划完成日期">
              <DatePicker />
            </Form.Item>
          </ActionDialog>,
        );
      actions.push(
        <Link key="progress" to={`/tasks/${f.findingId}/progress`} state={{ description: f.description }} className="ant-btn ant-btn-default">
          今日进度
        </Link>,
        <ActionDialog<{ summary: string; evidence?: string[] }>
          key="rectification"
          type="primary"
          label="整改完成"
          title="整改完成签字"
          statement="您签字确认此问题已整改到位；提交后由另一位督查办同志验收。"
          onSubmit={(x) => run(sendFindingCommand(f.findingId, 'rectification', { ...v, summary: x.summary, evidence: x.evidence ?? [] }))}
        >
          <Form.Item name="summary" label="整改完成情况" rules={required('请填写整改完成情况')}>
            <Input.TextArea rows={3} />
          </Form.Item>
          {/* The fix is signed with its proof: the API refuses a submission without uploaded evidence. */}
          <Form.Item name="evidence" label="整改佐证" rules={[{ required: true, type: 'array', min: 1, message: '请上传至少一张整改照片或佐证文件' }]}>
            <EvidenceUpload label="上传整改照片" />
          </Form.Item>
        </ActionDialog>,
      );
      if (!f.extensionPending)
        actions.push(
          <ActionDialog<{ workdays: number; reason: string }>
            key="extension"
            label="申请延期"
            title="申请延期"
            statement="延期申请由督查办审批；审批前原期限不变。"
            onSubmit={(x) => run(sendFindingCommand(f.findingId, 'extension-requests', { ...v, ...x }))}
          >
            <Form.Item name="workdays" label="延期工作日" rules={[{ required: true, message: '请填写延期天数' }]}>
              <InputNumber min={1} max={30} />
            </Form.Item>
            <Form.Item name="reason" label="延期理由" rules={required('请填写理由')}>
              <Input.TextArea rows={2} />
            </Form.Item>
          </ActionDialog>,
        );
    }
  }

  if (person.role === 'supervisor') {
    if (f.state === 'AwaitingVerification') {
      if (mayVerify(person, f))
        actions.push(
          <ActionDialog<{ note?: string }>
            key="verify"
            type="primary"
            label="验收销号"
            title="验收销号"
            statement="您签字确认整改到位，此问题销号。"
            onSubmit={(x) => run(sendFindingCommand(f.findingId, 'verify', { ...v, note: x.note || undefined }))}
          >
            <Form.Item name="note" label="验收意见">
              <Input.TextArea rows={2} />
            </Form.Item>
          </ActionDialog>,
          <ActionDialog<{ reason: string }>
            key="reject"
            danger
            label="退回"
            title="退回整改"
            statement="问题退回责任人继续整改，退回理由记入台账。"
            onSubmit={(x) => run(sendFindingCommand(f.findingId, 'reject', { ...v, reason: x.reason }))}
          >
            <Form.Item name="reason" label="退回理由" rules={required('请填写退回理由')}>
              <Input.TextArea rows={2} />
            </Form.Item>
          </ActionDialog>,
        );
      else actions.push(<Typography.Text key="no-verify" type="secondary">{whyNotVerify(person, f)}</Typography.Text>);
    }
    if (f.extensionPending)
      actions.push(
        <ActionDialog<{ reason?: string }>
          key="grant"
          label="批准延期"
          title="批准延期"
          statement="您签字批准延期，期限按申请顺延。"
          onSubmit={(x) => run(sendFindingCommand(f.findingId, 'extension-requests/grant', { ...v, reason: x.reason || undefined }))}
        >
          <Form.Item name="reason" label="意见">
            <Input />
          </Form.Item>
        </ActionDialog>,
        <ActionDialog<{ reason: string }>
          key="refuse"
          danger
          label="不予延期"
          title="不予延期"
          statement="原期限不变。"
          onSubmit={(x) => run(sendFindingCommand(f.findingId, 'extension-requests/refuse', { ...v, reason: x.reason }))}
        >
          <Form.Item name="reason" label="理由" rules={required('请填写理由')}>
            <Input />
          </Form.Item>
        </ActionDialog>,
      );
    if (['Dispatched', 'InRectification', 'AwaitingVerification'].includes(f.state))
      actions.push(
        <ActionDialog<{ toUnitId: string; reason: string }>
          key="reassign"
          label="改派"
          title="改派责任单位"
          statement="问题改派至新的责任单位，需重新认领。"
          onSubmit={(x) => run(sendFindingCommand(f.findingId, 'reassign', { ...v, ...x }))}
        >
          <Form.Item name="toUnitId" label="新责任单位" rules={[{ required: true, message: '请选择单位' }]}>
            <Select showSearch optionFilterProp="label" options={units.map((u) => ({ value: u.unitId, label: u.name }))} />
          </Form.Item>
          <Form.Item name="reason" label="改派理由" rules={required('请填写理由')}>
            <Input />
          </Form.Item>
        </ActionDialog>,
      );
    if (f.overdue)
      actions.push(
        <ActionDialog<{ level: 'interview' | 'accountability'; note?: string }>
          key="ack"
          label="确认约谈/问责"
          title="确认升级处置"
          statement="您确认已按升级阶梯处置（约谈或移交问责）。"
          onSubmit={(x) => run(sendFindingCommand(f.findingId, 'escalations/acknowledge', { ...v, level: x.level, note: x.note || undefined }))}
        >
          <Form.Item name="level" label="级别" rules={[{ required: true, message: '请选择级别' }]}>
            <Radio.Group options={[{ value: 'interview', label: '约谈' }, { value: 'accountability', label: '问责' }]} />
          </Form.Item>
          <Form.Item name="note" label="说明">
            <Input />
          </Form.Item>
        </ActionDialog>,
      );
  }
  if (!actions.length) return null;
  return <Space wrap>{actions}</Space>;
}
