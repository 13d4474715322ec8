import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Space, Typography } from 'antd';
import { FileOutlined } from '@ant-design/icons';
import { authorizedFetch } from '../api/client';
import { ApiError } from '../api/errors';

/**
 * Evidence files are served only with the bearer token, so an <img src> cannot load them: the bytes are fetched
 * with the token and shown through an object URL, released when the thumbnail leaves the page.
 */
function useObjectUrl(path: string, enabled: boolean): { url?: string; failed: boolean } {
  const blob = useQuery({
    queryKey: ['evidence-bytes', path],
    enabled,
    // Content-addressed: the bytes behind a hash never change.
    staleTime: Infinity,
    queryFn: async () => {
      const res = await authorizedFetch(path);
      if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => ({})));
      return res.blob();
    },
  });
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!blob.data) return;
    const made = URL.createObjectURL(blob.data);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [blob.data]);
  return { url, failed: !!blob.error };
}

async function openOriginal(sha256: string): Promise<void> {
  const res = await authorizedFetch(`/evidence/${sha256}`);
  if (!res.ok) return;
  const url = URL.createObjectURL(await res.blob());
  window.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** One evidence file: a photo's thumbnail (the original opens on click), or the name of any other file. */
export function EvidenceThumb({ sha256, name, type }: { sha256: string; name?: string; type?: string }) {
  const image = !type || type.startsWith('image/');
  const { url, failed } = useObjectUrl(`/evidence/${sha256}/thumbnail`, image);
  const label = name ?? sha256.slice(0, 12);
  if (!image || failed)
    return (
      <Button icon={<FileOutlined />} onClick={() => void openOriginal(sha256)}>
        {label}
      </Button>
    );
  return (
    <Space direction="vertical" size={2} style={{ width: 120 }}>
      <button type="button" onClick={() => void openOriginal(sha256)} style={{ padding: 0, border: '1px solid #ddd', background: '#fafafa', cursor: 'zoom-in', width: 120, height: 120 }} aria-label={`查看原图：${label}`}>
        {url ? <img src={url} alt={label} style={{ width: '100%', height: '100%', objectFit: 'cover', display: 'block' }} /> : null}
      </button>
      <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
        {label}
      </Typography.Text>
    </Space>
  );
}
