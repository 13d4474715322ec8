import { Navigate, useNavigate } from 'react-router-dom';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { changePassword, signOut } from '../api/auth';
import { ApiError } from '../api/errors';
import { useSession } from '../session/session';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** The rules the API applies (libs/domain accounts/password-rules), shown before and with any refusal. */
const RULES = ['至少 10 个字符', '字母、数字、符号中至少两类', '不含登录名或手机号', '不能过于常见，也不能与当前密码相同'];

/**
 * Until the one-time password is changed the API refuses everything else (PASSWORD_CHANGE_REQUIRED): the app shows
 * nothing but this form.
 */
export function ChangePasswordPage() {
  const session = useSession();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const change = useMutation({
    mutationFn: (v: Values) => changePassword(v.currentPassword, v.newPassword),
    onSuccess: () => navigate('/', { replace: true }),
  });
  if (!session) return <Navigate to="/sign-in" replace />;
  const refusal = change.error instanceof ApiError ? change.error : null;
  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f5f5', padding: 16 }}>
      <Card style={{ width: '100%', maxWidth: 440 }}>
        <Typography.Title level={1} style={{ fontSize: 22 }}>
          修改密码
        </Typography.Title>
        <Typography.Paragraph>
          {session.person.name}，首次登录（或密码被重置后）须先把一次性密码换成您自己的密码，才能继续使用。
        </Typography.Paragraph>
        <Form form={form} layout="vertical" requiredMark={false} onFinish={(v) => change.mutate(v)}>
          <Form.Item name="currentPassword" label="当前密码（一次性密码）" rules={[{ required: true, message: '请输入当前密码' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item name="newPassword" label="新密码" rules={[{ required: true, message: '请输入新密码' }]} extra={`密码要求：${RULES.join('；')}`}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label="再次输入新密码"
            dependencies={['newPassword']}
            rules={[
              { required: true, message: '请再次输入新密码' },
              ({ getFieldValue }) => ({
                validator: (_, value) => (!value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('两次输入的新密码不一致'))),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          {change.error && (
            <Alert
              type="error"
              showIcon
              role="alert"
              style={{ marginBottom: 16 }}
              message={change.error.message}
              description={refusal?.status === 400 && refusal.body.field === 'newPassword' ? `密码要求：${RULES.join('；')}` : undefined}
            />
          )}
          <Button type="primary" htmlType="submit" block loading={change.isPending}>
            修改密码并继续
          </Button>
          <Button type="link" block onClick={() => void signOut().then(() => navigate('/sign-in', { replace: true }))}>
            退出
          </Button>
        </Form>
      </Card>
    </main>
  );
}
