import { Button, List, Tag } from 'antd';
import { discard, usePending } from './sync';
import { fmtTime } from '../shared/labels';

/** What waits on this phone, with when it was captured; a refusal stays listed until the person discards it. */
export function PendingList() {
  const items = usePending();
  if (!items.length) return null;
  return (
    <List
      size="small"
      bordered
      header="本机待同步"
      dataSource={items}
      renderItem={(c) => (
        <List.Item
          actions={c.refusal ? [<Button key="d" size="small" onClick={() => void discard(c.key)}>移除</Button>] : []}
        >
          <span>
            {c.refusal ? <Tag color="red">被拒绝：{c.refusal}</Tag> : <Tag color="orange">待同步</Tag>}
            {c.label}（采集于 {fmtTime(c.capturedAt)}）
          </span>
        </List.Item>
      )}
    />
  );
}
