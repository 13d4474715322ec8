import { useState } from 'react';
import { Button, Upload, type UploadFile } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { authorizedFetch } from '../api/client';
import { keepPhoto } from '../offline/queue';

/** What POST /evidence answers: the file is stored by its content hash; the event keeps only these. */
export interface EvidenceRef {
  sha256: string;
  name: string;
  type: string;
  size: number;
}

/**
 * Photos and documents for a finding or a fix: each goes to POST /evidence (multipart) at once, and the form sends
 * their hashes as its `evidence` list.
 */
export function EvidenceUpload({
  value = [],
  onChange,
  label = '佐证照片',
  offline = false,
}: {
  value?: string[];
  onChange?: (refs: string[]) => void;
  label?: string;
  /** The form's command can wait on the phone (submitOrQueue): without signal a photo is kept there too. */
  offline?: boolean;
}) {
  const [files, setFiles] = useState<UploadFile[]>([]);
  return (
    <Upload
      accept="image/*,application/pdf"
      listType="picture"
      fileList={files}
      onChange={({ fileList }) => setFiles(fileList)}
      onRemove={(file) => onChange?.(value.filter((v) => v !== (file.response as EvidenceRef | undefined)?.sha256))}
      customRequest={async ({ file, onSuccess, onError }) => {
        const form = new FormData();
        form.append('file', file as Blob);
        const keep = async () => {
          const ref = await keepPhoto(file as File);
          onChange?.([...value, ref]);
          onSuccess?.({ sha256: ref });
        };
        if (offline && !navigator.onLine) return void (await keep());
        try {
          // Multipart: openapi-fetch's typed body would send JSON, so the typed path goes through authorizedFetch.
          const res = await authorizedFetch('/evidence', { method: 'POST', body: form, headers: { 'Idempotency-Key': crypto.randomUUID() } });
          const body = await res.json().catch(() => ({}));
          if (!res.ok) throw new Error(res.status === 404 ? '证据上传服务尚未开放' : (body.message ?? `上传失败（${res.status}）`));
          onChange?.([...value, (body as EvidenceRef).sha256]);
          onSuccess?.(body);
        } catch (err) {
          // No network (fetch itself failed): the photo waits with the command.
          if (offline && err instanceof TypeError) return void (await keep());
          onError?.(err as Error);
        }
      }}
    >
      <Button icon={<UploadOutlined />}>{label}</Button>
    </Upload>
  );
}
