import { Suspense, type ReactNode } from 'react';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { AppLayout } from '../layout/AppLayout';

dayjs.locale('zh-cn');

// Ant Design's default secondary greys (45% black) fall below WCAG AA contrast on white: darkened to pass it.
const THEME = {
  token: {
    // People who ask their system for less motion get none (dropdowns and dialogs open at once).
    motion: !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches,
    colorPrimary: '#a31515',
    colorLink: '#8e1212',
    colorError: '#c62828',
    borderRadius: 4,
    colorTextSecondary: 'rgba(0, 0, 0, 0.68)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.6)',
  },
};

/**
 * Everything behind the sign-in: Ant Design in zh_CN with the app's theme, and (unless `bare`) the menu and header.
 * Loaded lazily, so the sign-in page — the first route on a phone — carries none of Ant Design.
 */
export default function AntShell({ children, bare = false }: { children: ReactNode; bare?: boolean }) {
  const page = <Suspense fallback={<Spin tip="加载中" fullscreen={false} />}>{children}</Suspense>;
  return (
    <ConfigProvider locale={zhCN} theme={THEME} button={{ autoInsertSpace: false }}>
      <AntApp>{bare ? page : <AppLayout>{page}</AppLayout>}</AntApp>
    </ConfigProvider>
  );
}
