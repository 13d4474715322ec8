import { useParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Space, Spin } from 'antd';
import { fetchDocument } from '../api/client';

/** 督办通知书: the API's print-ready A4 page, fetched with the person's token and printed from here. */
export default function NoticePrint() {
  const { noticeNo = '' } = useParams();
  const html = useQuery({ queryKey: ['notice', noticeNo], queryFn: async () => (await fetchDocument(`/notices/${encodeURIComponent(noticeNo)}`)).text() });
  if (html.isLoading) return <Spin tip="加载中" fullscreen={false} />;
  if (html.error) return <Alert type="error" showIcon message={html.error.message} />;
  return (
    <main>
      <Space style={{ padding: 12 }} className="no-print">
        <Button type="primary" onClick={() => (document.getElementById('notice') as HTMLIFrameElement | null)?.contentWindow?.print()}>
          打印督办通知书
        </Button>
      </Space>
      <iframe id="notice" title={`督办通知书 ${noticeNo}`} srcDoc={html.data} style={{ width: '100%', height: '90vh', border: 0 }} />
    </main>
  );
}
