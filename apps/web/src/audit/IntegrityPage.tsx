import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Space, Typography } from 'antd';
import { api, ApiError, ok } from '../api/client';
import { fmtTime } from '../shared/labels';

/** 数据完整性: the hash chains and the Merkle log checked now, and the latest signed checkpoint to keep outside. */
export default function IntegrityPage() {
  const chains = useQuery({ queryKey: ['integrity-chains'], queryFn: () => ok(api.GET('/integrity/chains')), enabled: false });
  const log = useQuery({ queryKey: ['integrity-log'], queryFn: () => ok(api.GET('/integrity/log')), enabled: false });
  const latest = useQuery({ queryKey: ['checkpoint-latest'], queryFn: () => ok(api.GET('/integrity/checkpoints/latest')), retry: false });
  const check = () => void Promise.all([chains.refetch(), log.refetch()]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        数据完整性
      </Typography.Title>
      <Typography.Paragraph>
        每一条签字记录都以哈希链与前一条相连，并由系统定期封存进 Merkle 日志、签发检查点。「立即校验」逐条重算全部哈希链和日志；请把最新检查点的签名文本另行保存（如打印存档），日后任何人都可据此证明记录未被改动。
      </Typography.Paragraph>
      <Button type="primary" onClick={check} loading={chains.isFetching || log.isFetching}>
        立即校验
      </Button>
      {chains.error && <Alert type="error" showIcon message={chains.error.message} />}
      {chains.data && (
        <Alert
          type={chains.data.ok ? 'success' : 'error'}
          showIcon
          message={chains.data.ok ? `哈希链完好：${chains.data.streamsChecked} 条流、${chains.data.eventsChecked} 个事件` : '哈希链校验失败'}
        />
      )}
      {log.data && (
        <Alert
          type={log.data.ok ? 'success' : 'error'}
          showIcon
          message={log.data.ok ? `Merkle 日志完好：${log.data.treeSize} 个叶子、${log.data.checkpointsChecked} 个检查点` : `Merkle 日志异常：${log.data.breaks[0]?.message ?? ''}`}
        />
      )}
      <Card title="最新签名检查点（请另行保存）">
        {latest.error && (
          <Alert
            type="info"
            showIcon
            message={
              latest.error instanceof ApiError && latest.error.status === 404
                ? '尚无签名检查点：后台服务每隔几秒把新的签字记录封存并签发检查点，系统刚启动或后台服务未运行时这里为空。'
                : latest.error.message
            }
          />
        )}
        {latest.data && (
          <Descriptions column={1} size="small">
            <Descriptions.Item label="树大小">{latest.data.treeSize}</Descriptions.Item>
            <Descriptions.Item label="根哈希">
              <Typography.Text copyable style={{ wordBreak: 'break-all' }}>{latest.data.rootHash}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label="时间">{fmtTime(latest.data.timestamp)}</Descriptions.Item>
            <Descriptions.Item label="签名文本">
              <Typography.Paragraph copyable style={{ whiteSpace: 'pre-wrap', fontFamily: 'monospace', fontSize: 12 }}>
                {latest.data.signedText}
              </Typography.Paragraph>
            </Descriptions.Item>
          </Descriptions>
        )}
      </Card>
    </Space>
  );
}
