import { useState } from 'react';
import { Button, Upload, type UploadFile } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { authorizedFetch } from '../api/client';

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
export function EvidenceUpload({ value = [], onChange, label = '佐证照片' }: { value?: string[]; onChange?: (refs: string[]) => void; label?: string }) {
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
        try {
          // Multipart: openapi-fetch's typed body would send JSON, so the typed path goes through authorizedFetch.
          const res = await authorizedFetch('/evidence', { method: 'POST', body: form, headers: { 'Idempotency-Key': crypto.randomUUID() } });
          const body = await res.json().catch(() => ({}));
          if (!res.ok) throw new Error(res.status === 404 ? '证据上传服务尚未开放' : (body.message ?? `上传失败（${res.status}）`));
          onChange?.([...value, (body as EvidenceRef).sha256]);
          onSuccess?.(body);
        } catch (err) {
          onError?.(err as Error);
        }
      }}
    >
      <Button icon={<UploadOutlined />}>{label}</Button>
    </Upload>
  );
}
