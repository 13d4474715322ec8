import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { useSession } from './session/session';
import { SignInPage } from './sign-in/SignInPage';
import { Loading } from './shell/Loading';

// The sign-in page is the only screen in the first load; the shell (Ant Design, menu) and each screen are chunks.
const AntShell = lazy(() => import('./shell/AntShell'));
const ChangePasswordPage = lazy(() => import('./sign-in/ChangePasswordPage').then((m) => ({ default: m.ChangePasswordPage })));
const HomePage = lazy(() => import('./home/HomePage').then((m) => ({ default: m.HomePage })));
// Client routes never share a first segment with an API route (the API serves index.html only for others).
const RecordFindingPage = lazy(() => import('./record/RecordFindingPage'));
const DispatchBoard = lazy(() => import('./dispatch/DispatchBoard'));
const NoticePrint = lazy(() => import('./dispatch/NoticePrint'));
const VerifyQueue = lazy(() => import('./verify/VerifyQueue'));
const ExtensionsPage = lazy(() => import('./extensions/ExtensionsPage'));
const InboxPage = lazy(() => import('./inbox/InboxPage'));
const FindingPage = lazy(() => import('./finding/FindingPage'));
const SearchPage = lazy(() => import('./audit/SearchPage'));
const PersonRecordPage = lazy(() => import('./audit/PersonRecordPage'));
const AccountabilityPage = lazy(() => import('./audit/AccountabilityPage'));
const IntegrityPage = lazy(() => import('./audit/IntegrityPage'));
const ReportsPage = lazy(() => import('./reports/ReportsPage'));
const ProgressCapturePage = lazy(() => import('./inbox/ProgressCapturePage'));
const RosterPage = lazy(() => import('./admin/RosterPage'));
const SystemPage = lazy(() => import('./admin/SystemPage'));

function Protected({ children }: { children: ReactNode }) {
  const session = useSession();
  if (!session) return <Navigate to="/sign-in" replace />;
  // The API refuses everything else until the one-time password is changed.
  if (session.mustChangePassword) return <Navigate to="/change-password" replace />;
  return (
    <Suspense fallback={<Loading />}>
      <AntShell>{children}</AntShell>
    </Suspense>
  );
}

const page = (node: ReactNode) => <Protected>{node}</Protected>;
/** A screen with Ant Design but without the menu (the forced password change, the printable notice). */
const bare = (node: ReactNode) => (
  <Suspense fallback={<Loading />}>
    <AntShell bare>{node}</AntShell>
  </Suspense>
);

export function AppRoutes() {
  return (
    <BrowserRouter>
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route path="/change-password" element={bare(<ChangePasswordPage />)} />
        <Route path="/" element={page(<HomePage />)} />
        <Route path="/record" element={page(<RecordFindingPage />)} />
        <Route path="/board/dispatch" element={page(<DispatchBoard />)} />
        <Route path="/board/verify" element={page(<VerifyQueue />)} />
        <Route path="/board/extensions" element={page(<ExtensionsPage />)} />
        <Route path="/print/notices/:noticeNo" element={bare(<NoticePrint />)} />
        <Route path="/tasks" element={page(<InboxPage />)} />
        <Route path="/tasks/:findingId/progress" element={page(<ProgressCapturePage />)} />
        <Route path="/case/:findingId" element={page(<FindingPage />)} />
        <Route path="/search" element={page(<SearchPage />)} />
        <Route path="/people/:userId" element={page(<PersonRecordPage />)} />
        <Route path="/accountability" element={page(<AccountabilityPage />)} />
        <Route path="/integrity-check" element={page(<IntegrityPage />)} />
        <Route path="/cadence" element={page(<ReportsPage />)} />
        <Route path="/roster" element={page(<RosterPage />)} />
        <Route path="/system" element={page(<SystemPage />)} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </BrowserRouter>
  );
}
