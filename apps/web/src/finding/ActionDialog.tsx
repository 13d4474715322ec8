import { useState, type ReactNode } from 'react';
import { Alert, Button, Form, Modal } from 'antd';
import type { ButtonProps } from 'antd';

/**
 * A step that someone signs: a button that opens a dialog saying plainly what the signature means, the step's own
 * fields, and the API's refusal if there is one.
 */
export function ActionDialog<V extends object>({
  label,
  title,
  statement,
  okText = '签字确认',
  danger,
  type = 'default',
  children,
  onSubmit,
}: {
  label: string;
  title: string;
  statement: ReactNode;
  okText?: string;
  danger?: boolean;
  type?: ButtonProps['type'];
  children?: ReactNode;
  onSubmit: (values: V) => Promise<unknown>;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [form] = Form.useForm<V>();
  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(values);
      setOpen(false);
      form.resetFields();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button type={type} danger={danger} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Modal open={open} title={title} okText={okText} cancelText="取消" confirmLoading={busy} onOk={submit} onCancel={() => setOpen(false)} destroyOnHidden>
        <Alert type="warning" showIcon message={statement} style={{ marginBottom: 16 }} />
        <Form form={form} layout="vertical">
          {children}
        </Form>
        {error && <Alert type="error" showIcon message={error} />}
      </Modal>
    </>
  );
}
