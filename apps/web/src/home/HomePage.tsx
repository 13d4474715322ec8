import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Card, Col, Row, Statistic, Typography, List, Tag, Button, Space } from 'antd';
import { usePerson, type Person } from '../session/session';
import { useFindings } from '../shared/findings';
import { useCurrentCampaign, useUnitName } from '../shared/reference';
import { mayVerify, SEVERITY } from '../shared/labels';
import { PendingList } from '../offline/PendingList';
import type { Finding } from '../api/client';

/** A role's section of the page: its parts spaced like the page's own (a fragment would run them together). */
const Stack = ({ children }: { children: ReactNode }) => (
  <Space direction="vertical" size="middle" style={{ width: '100%' }}>
    {children}
  </Space>
);

function Tile({ title, value, to, danger }: { title: string; value: number | undefined; to: string; danger?: boolean }) {
  return (
    <Col xs={12} md={6}>
      <Link to={to} aria-label={`${title} ${value ?? 0}`}>
        <Card hoverable size="small">
          <Statistic title={title} value={value ?? 0} valueStyle={danger && value ? { color: '#b71c1c' } : undefined} />
        </Card>
      </Link>
    </Col>
  );
}

function Urgent({ title, items }: { title: string; items: Finding[] }) {
  const unitName = useUnitName();
  if (!items.length) return null;
  return (
    <Card size="small" title={title}>
      <List
        size="small"
        dataSource={items.slice(0, 8)}
        renderItem={(f) => (
          <List.Item>
            <span>
              <Tag color={SEVERITY[f.severity ?? '']?.color}>{SEVERITY[f.severity ?? '']?.label}</Tag>
              <Link to={`/case/${f.findingId}`}>{f.description}</Link> · {unitName(f.unitId ?? f.townUnitId)}
              {f.overdue && <Tag color="red" style={{ marginLeft: 6 }}>逾期 {f.daysOverdue} 天</Tag>}
            </span>
          </List.Item>
        )}
      />
    </Card>
  );
}

function SupervisorToday({ person, items }: { person: Person; items: Finding[] }) {
  const verifiable = items.filter((f) => mayVerify(person, f));
  const overdue = items.filter((f) => f.overdue);
  return (
    <Stack>
      <Row gutter={[12, 12]}>
        <Tile title="待交办" value={items.filter((f) => f.state === 'Recorded').length} to="/board/dispatch" />
        <Tile title="待我验收" value={verifiable.length} to="/board/verify" />
        <Tile title="延期待审批" value={items.filter((f) => f.extensionPending).length} to="/board/extensions" />
        <Tile title="已逾期" value={overdue.length} to="/search" danger />
      </Row>
      <Urgent title="逾期问题（需确认约谈/问责）" items={overdue} />
    </Stack>
  );
}

function OfficialToday({ items }: { items: Finding[] }) {
  const navigate = useNavigate();
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const mine = items.filter((f) => f.state !== 'Closed' && f.state !== 'Annulled');
  return (
    <Stack>
      <Row gutter={[12, 12]}>
        <Tile title="待认领" value={mine.filter((f) => f.state === 'Dispatched').length} to="/tasks" />
        <Tile title="今日到期" value={mine.filter((f) => f.dueDate === today && !f.overdue).length} to="/tasks" />
        <Tile title="已逾期" value={mine.filter((f) => f.overdue).length} to="/tasks" danger />
        <Tile title="整改中" value={mine.filter((f) => f.state === 'InRectification').length} to="/tasks" />
      </Row>
      <Urgent title="先办这些" items={mine.filter((f) => f.overdue || f.state === 'Dispatched')} />
      <Button type="primary" block onClick={() => navigate('/tasks')}>
        进入本单位问题
      </Button>
    </Stack>
  );
}

function InspectorToday({ person, items }: { person: Person; items: Finding[] }) {
  const navigate = useNavigate();
  const mine = items.filter((f) => f.recordedBy?.id === person.userId);
  return (
    <Stack>
      <Button type="primary" size="large" block onClick={() => navigate('/record')}>
        记录问题
      </Button>
      <PendingList />
      <Row gutter={[12, 12]}>
        <Tile title="我记录的问题" value={mine.length} to="/search" />
        <Tile title="其中待交办" value={mine.filter((f) => f.state === 'Recorded').length} to="/search" />
        <Tile title="其中已销号" value={mine.filter((f) => f.state === 'Closed').length} to="/search" />
      </Row>
      <Urgent title="我记录的在办问题" items={mine.filter((f) => f.state !== 'Closed' && f.state !== 'Annulled')} />
    </Stack>
  );
}

function DisciplineToday({ items }: { items: Finding[] }) {
  const overdue = items.filter((f) => f.overdue);
  return (
    <Stack>
      <Row gutter={[12, 12]}>
        <Tile title="已逾期" value={overdue.length} to="/search" danger />
        <Tile title="在办问题" value={items.filter((f) => !['Closed', 'Annulled'].includes(f.state)).length} to="/search" />
        <Tile title="已销号" value={items.filter((f) => f.state === 'Closed').length} to="/search" />
      </Row>
      <Space wrap>
        <Link to="/accountability">问责台账</Link>
        <Link to="/integrity-check">数据完整性校验</Link>
      </Space>
      <Urgent title="逾期问题" items={overdue} />
    </Stack>
  );
}

function AdminToday() {
  return (
    <Stack>
      <Typography.Paragraph>
        系统管理员维护单位与人员、账号和运行状态，不签署任何业务步骤（记录、交办、整改、验收由各自的责任人签字）。
      </Typography.Paragraph>
      <Row gutter={[12, 12]}>
        <Col xs={24} md={8}>
          <Card size="small" title={<Link to="/roster">人员名册</Link>}>全县单位与人员、角色；下载花名册模板。</Card>
        </Col>
        <Col xs={24} md={8}>
          <Card size="small" title={<Link to="/system">系统运行</Link>}>各台账是否跟上签字记录，停止时的原因。</Card>
        </Col>
        <Col xs={24} md={8}>
          <Card size="small" title={<Link to="/search">问题查询</Link>}>只读查询问题台账，导出台账。</Card>
        </Col>
      </Row>
      <Typography.Paragraph type="secondary">
        开设账号、重置密码、导入花名册、发布年度节假日安排目前通过接口完成：接口文档见 <a href="/api/docs">/api/docs</a>，步骤见 README 的「Setting up a new county」一节。
      </Typography.Paragraph>
    </Stack>
  );
}

/** 今日待办: what this person must do today, by role (DESIGN.md's who-does-what). */
export function HomePage() {
  const person = usePerson();
  const { campaign, data: campaigns = [], isLoading: campaignsLoading } = useCurrentCampaign();
  const list = useFindings(
    { campaignId: campaign?.campaignId, ...(person.role === 'unit_official' ? { unitId: person.unitId } : {}) },
    { enabled: !!campaign },
  );
  const items = list.data?.items ?? [];
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={1} style={{ fontSize: 22, marginBottom: 0 }}>
        今日待办
      </Typography.Title>
      {/* With more than one campaign the picker above names it; otherwise it is said here. */}
      {campaign && campaigns.length < 2 && <Typography.Text type="secondary">{campaign.name}</Typography.Text>}
      {!campaign && !campaignsLoading && <Typography.Paragraph>尚无专项行动：督查办创建专项行动后，这里列出今天要办的事。</Typography.Paragraph>}
      {person.role === 'supervisor' && <SupervisorToday person={person} items={items} />}
      {person.role === 'unit_official' && <OfficialToday items={items} />}
      {person.role === 'inspector' && <InspectorToday person={person} items={items} />}
      {person.role === 'discipline_inspector' && <DisciplineToday items={items} />}
      {person.role === 'admin' && <AdminToday />}
    </Space>
  );
}
