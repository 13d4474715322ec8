import { useQuery } from '@tanstack/react-query';
import { Card, Space, Typography } from 'antd';
import { api, ApiError, ok } from '../api/client';
import { fmtTime } from '../shared/labels';
import { EvidenceThumb } from '../shared/EvidenceThumb';

const SOURCE = { recording: '记录时', progress: '进度上报', submission: '整改完成' } as const;

/** The photos and files behind a finding (recording, progress reports, the fix), from its rectification ledger. */
export function EvidenceGallery({ findingId }: { findingId: string }) {
  const ledger = useQuery({
    queryKey: ['rectification', findingId],
    queryFn: () => ok(api.GET('/findings/{findingId}/rectification', { params: { path: { findingId } } })),
    // A finding not yet in the ledger simply has nothing to show.
    retry: (count, err) => !(err instanceof ApiError && err.status === 404) && count < 2,
  });
  const evidence = ledger.data?.evidence ?? [];
  if (!evidence.length) return null;
  return (
    <Card
      title={
        <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
          佐证材料
        </Typography.Title>
      }
    >
      <Space wrap align="start" size="middle">
        {evidence.map((e) => (
          <figure key={`${e.source}-${e.version}-${e.ref}`} style={{ margin: 0 }}>
            <EvidenceThumb sha256={e.ref} name={e.name} type={e.type} />
            <figcaption style={{ fontSize: 12 }}>
              {SOURCE[e.source]} · {fmtTime(e.at)}
            </figcaption>
          </figure>
        ))}
      </Space>
    </Card>
  );
}
