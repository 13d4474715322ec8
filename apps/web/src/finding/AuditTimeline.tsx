import { useQuery } from '@tanstack/react-query';
import { Alert, Tag, Timeline, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { api, ok } from '../api/client';
import { whenSigned } from '../shared/labels';

/** A finding's audit trail: each signature, what it changed (before → after), and the chain hash that seals it. */
export function AuditTimeline({ findingId }: { findingId: string }) {
  const trail = useQuery({
    queryKey: ['audit-trail', findingId],
    queryFn: () => ok(api.GET('/findings/{findingId}/audit-trail', { params: { path: { findingId } } })),
  });
  if (trail.error) return <Alert type="error" showIcon message={trail.error.message} />;
  return (
    <Timeline
      aria-label="审计轨迹"
      items={(trail.data ?? []).map((e) => ({
        color: e.signer?.role === 'system' || !e.signer ? 'gray' : 'red',
        children: (
          <div>
            <Typography.Text strong>{e.summary}</Typography.Text>
            <div>
              {e.signer ? (
                <span>
                  签字人：<Link to={`/people/${e.signer.id}`}>{e.signer.name}</Link>
                  {e.signer.unitName ? `（${e.signer.unitName}）` : ''}
                </span>
              ) : (
                '系统'
              )}{' '}
              · {whenSigned(e)}
            </div>
            {e.reason && <div>理由：{e.reason}</div>}
            {e.changes.length > 0 && (
              <ul style={{ margin: '4px 0', paddingLeft: 18 }}>
                {e.changes.map((c) => (
                  <li key={c.field}>
                    {c.label}：{c.before ?? '—'} → {c.after ?? '—'}
                  </li>
                ))}
              </ul>
            )}
            {e.attributedTo && <Tag color="orange">记在 {e.attributedTo.person?.name ?? e.attributedTo.unitName ?? e.attributedTo.unitId} 名下</Tag>}
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }}>
                链哈希 {e.hash}
              </Typography.Text>
            </div>
          </div>
        ),
      }))}
    />
  );
}
