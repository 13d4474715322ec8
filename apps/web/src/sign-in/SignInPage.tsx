import { useState } from 'react';
import { Navigate, useNavigate } from 'react-router-dom';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Select, Tabs, Typography } from 'antd';
import { api, ok } from '../api/client';
import { signInWithPassword } from '../api/auth';
import { saveSession, useSession, type Session } from '../session/session';

function PasswordForm({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const signIn = useMutation({ mutationFn: (v: { login: string; password: string }) => signInWithPassword(v.login, v.password), onSuccess: onSignedIn });
  return (
    <Form layout="vertical" onFinish={(v) => signIn.mutate(v)} requiredMark={false}>
      <Form.Item name="login" label="账号" rules={[{ required: true, message: '请输入账号' }]}>
        <Input autoComplete="username" />
      </Form.Item>
      <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      {signIn.error && <Alert type="error" showIcon message={signIn.error.message} style={{ marginBottom: 16 }} />}
      <Button type="primary" htmlType="submit" block loading={signIn.isPending}>
        登录
      </Button>
    </Form>
  );
}

function DevPicker({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const people = useQuery({ queryKey: ['dev-people'], queryFn: () => ok(api.GET('/auth/dev-people')), retry: false });
  const [userId, setUserId] = useState<string>();
  const signIn = useMutation({
    mutationFn: (id: string) => ok(api.POST('/auth/dev-sign-in', { body: { userId: id } })) as Promise<Session>,
    onSuccess: onSignedIn,
  });
  if (people.error) return <Alert type="info" showIcon message="此环境未开放开发登录，请使用账号密码登录。" />;
  return (
    <Form layout="vertical" onFinish={() => userId && signIn.mutate(userId)}>
      <Alert type="warning" showIcon message="开发登录：演示县的人员，仅用于开发与演示。" style={{ marginBottom: 16 }} />
      <Form.Item label="选择人员" htmlFor="dev-person">
        <Select
          id="dev-person"
          aria-label="选择人员"
          showSearch
          optionFilterProp="label"
          loading={people.isLoading}
          value={userId}
          onChange={setUserId}
          placeholder="按角色选择一位演示人员"
          options={(people.data ?? []).map((g) => ({
            label: g.label,
            title: g.label,
            options: g.people.map((p) => ({ value: p.userId, label: `${p.name}（${p.unitName} · ${p.title}）` })),
          }))}
        />
      </Form.Item>
      {signIn.error && <Alert type="error" showIcon message={signIn.error.message} style={{ marginBottom: 16 }} />}
      <Button type="primary" htmlType="submit" block disabled={!userId} loading={signIn.isPending}>
        以此身份登录
      </Button>
    </Form>
  );
}

export function SignInPage() {
  const session = useSession();
  const navigate = useNavigate();
  if (session) return <Navigate to={session.mustChangePassword ? '/change-password' : '/'} replace />;
  const signedIn = (s: Session) => {
    saveSession(s);
    navigate(s.mustChangePassword ? '/change-password' : '/', { replace: true });
  };
  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f5f5', padding: 16 }}>
      <Card style={{ width: '100%', maxWidth: 420 }}>
        <Typography.Title level={1} style={{ fontSize: 24, textAlign: 'center' }}>
          督办 · 整改专项行动
        </Typography.Title>
        <Tabs
          defaultActiveKey="dev"
          items={[
            { key: 'dev', label: '开发登录', children: <DevPicker onSignedIn={signedIn} /> },
            { key: 'password', label: '账号密码', children: <PasswordForm onSignedIn={signedIn} /> },
          ]}
        />
      </Card>
    </main>
  );
}
