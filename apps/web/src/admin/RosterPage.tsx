import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { api, download, ok } from '../api/client';
import { ROLE_LABELS, type Role } from '../session/session';

type Person = Awaited<ReturnType<typeof listPeople>>['items'][number];
const listPeople = (q: { page: number; role?: Role; q?: string }) =>
  ok(api.GET('/directory/people', { params: { query: { page: q.page, pageSize: 50, ...(q.role ? { role: q.role } : {}), ...(q.q ? { q: q.q } : {}) } } }));

/**
 * 人员名册: the county's directory as the administrator keeps it — who is in which unit with which role. Changes go
 * through the roster import (its template downloads here) or the directory commands; every change is signed and kept.
 */
export default function RosterPage() {
  const [role, setRole] = useState<Role>();
  const [text, setText] = useState<string>();
  const [page, setPage] = useState(1);
  const people = useQuery({ queryKey: ['directory-people', role, text, page], queryFn: () => listPeople({ page, role, q: text }) });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        人员名册（{people.data?.total ?? 0} 人）
      </Typography.Title>
      <Typography.Paragraph>
        全县的单位与人员：谁在哪个单位、担任什么角色。人员的登记、调动、停用通过「花名册导入」（先下载模板，填好后试导入、确认）或目录接口完成，每一次变更都签字留痕，纪委监委可查。
      </Typography.Paragraph>
      <Card>
        <Space wrap>
          <Input.Search aria-label="按姓名、职务或手机号查找" placeholder="姓名、职务或手机号" allowClear style={{ width: 220 }} onSearch={(v) => (setText(v.trim() || undefined), setPage(1))} />
          <Select aria-label="角色" placeholder="角色" allowClear style={{ width: 160 }} value={role} onChange={(v) => (setRole(v), setPage(1))} options={Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }))} />
          <Button onClick={() => void download('/directory/roster-imports/template', '花名册模板.xlsx')}>下载花名册模板</Button>
        </Space>
      </Card>
      {people.error && <Alert type="error" showIcon message={people.error.message} />}
      <Table<Person>
        rowKey="userId"
        size="small"
        loading={people.isLoading}
        dataSource={people.data?.items ?? []}
        locale={{ emptyText: '没有符合条件的人员' }}
        pagination={{ current: page, pageSize: 50, total: people.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: '姓名', dataIndex: 'name' },
          { title: '单位', render: (_, p) => p.unitName ?? p.unitId },
          { title: '职务', dataIndex: 'title' },
          { title: '角色', render: (_, p) => ROLE_LABELS[p.role] },
          { title: '手机号', render: (_, p) => p.phone ?? '—' },
          { title: '状态', render: (_, p) => (p.active ? <Tag color="green">在岗</Tag> : <Tag>已停用</Tag>) },
        ]}
      />
    </Space>
  );
}
