import { useState, type ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Drawer, Grid, Layout, Menu, Tag, Typography } from 'antd';
import { MenuOutlined } from '@ant-design/icons';
import { ROLE_LABELS, usePerson } from '../session/session';
import { signOut as endSession } from '../api/auth';
import { usePendingCount } from '../offline/sync';
import { MENUS } from './menu';
import { DemoBanner } from '../shared/DemoBanner';
import { CampaignPicker } from '../shared/CampaignPicker';

export function AppLayout({ children }: { children: ReactNode }) {
  const person = usePerson();
  const wide = Grid.useBreakpoint().md;
  const [open, setOpen] = useState(false);
  const location = useLocation();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const pending = usePendingCount();
  const entries = MENUS[person.role];
  const selected = entries.filter((e) => e.path === location.pathname || (e.path !== '/' && location.pathname.startsWith(e.path)));
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={selected.map((e) => e.path)}
      items={entries.map((e) => ({ key: e.path, label: <Link to={e.path}>{e.label}</Link> }))}
      onClick={() => setOpen(false)}
    />
  );
  const signOut = async () => {
    // A password session's refresh token is revoked on the server; a development session just ends here.
    await endSession();
    queries.clear();
    navigate('/sign-in');
  };
  return (
    <Layout style={{ minHeight: '100vh' }}>
      {wide && (
        <Layout.Sider theme="light" width={200} aria-label="主菜单">
          <Typography.Title level={2} style={{ fontSize: 18, padding: '16px 24px', margin: 0, color: '#b71c1c' }}>
            督办
          </Typography.Title>
          <nav aria-label="主菜单">{menu}</nav>
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 12px', display: 'flex', alignItems: 'center', gap: 8, borderBottom: '1px solid #eee' }}>
          {!wide && <Button type="text" icon={<MenuOutlined />} aria-label="打开菜单" onClick={() => setOpen(true)} />}
          <div style={{ flex: 1, minWidth: 0, display: 'flex', alignItems: 'center', gap: 6, overflow: 'hidden', whiteSpace: 'nowrap' }}>
            <Typography.Text strong>{person.name}</Typography.Text>
            <Tag color="red">{ROLE_LABELS[person.role]}</Tag>
          </div>
          {pending > 0 && (
            <Badge count={pending} size="small">
              <Tag color="orange">待同步</Tag>
            </Badge>
          )}
          <Button onClick={() => void signOut()}>退出</Button>
        </Layout.Header>
        <Layout.Content style={{ padding: wide ? 24 : 12 }}>
          <main>
            <CampaignPicker />
            <DemoBanner />
            {children}
          </main>
        </Layout.Content>
      </Layout>
      <Drawer open={open} onClose={() => setOpen(false)} placement="left" width={240} title="督办" closable>
        <nav aria-label="主菜单">{menu}</nav>
      </Drawer>
    </Layout>
  );
}
