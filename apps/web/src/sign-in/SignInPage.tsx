import { useEffect, useState, type FormEvent } from 'react';
import { Navigate, useNavigate } from 'react-router-dom';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, ok } from '../api/client';
import { signInWithPassword } from '../api/auth';
import { saveSession, useSession, type Session } from '../session/session';
import './sign-in.css';

function Note({ kind, children }: { kind: 'warning' | 'info' | 'error'; children: string }) {
  return (
    <div className={`si-note si-note-${kind}`} role={kind === 'error' ? 'alert' : undefined}>
      {children}
    </div>
  );
}

function PasswordForm({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({ mutationFn: () => signInWithPassword(login.trim(), password), onSuccess: onSignedIn });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate();
  };
  return (
    <form onSubmit={submit}>
      <label className="si-field">
        <span>账号</span>
        <input className="si-input" name="login" autoComplete="username" required value={login} onChange={(e) => setLogin(e.target.value)} placeholder="登录名或手机号" />
      </label>
      <label className="si-field">
        <span>密码</span>
        <input className="si-input" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {signIn.error && <Note kind="error">{signIn.error.message}</Note>}
      <button className="si-button" type="submit" disabled={signIn.isPending}>
        {signIn.isPending ? '正在登录…' : '登录'}
      </button>
      <p className="si-hint">首次登录请使用管理员给您的一次性密码，登录后需先修改密码。</p>
    </form>
  );
}

const useDevPeople = () => useQuery({ queryKey: ['dev-people'], queryFn: () => ok(api.GET('/auth/dev-people')), retry: false });

function DevPicker({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const people = useDevPeople();
  const [userId, setUserId] = useState('');
  const signIn = useMutation({
    mutationFn: (id: string) => ok(api.POST('/auth/dev-sign-in', { body: { userId: id } })) as Promise<Session>,
    onSuccess: onSignedIn,
  });
  if (people.error) return <Note kind="info">此环境未开放开发登录，请使用账号密码登录。</Note>;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (userId) signIn.mutate(userId);
  };
  return (
    <form onSubmit={submit}>
      <Note kind="warning">开发登录：演示县的人员，仅用于开发与演示。</Note>
      <label className="si-field">
        <span>选择人员</span>
        <select id="dev-person" className="si-input" required disabled={!people.data} value={userId} onChange={(e) => setUserId(e.target.value)}>
          <option value="" disabled>
            {people.data ? '按角色选择一位演示人员' : '正在载入人员…'}
          </option>
          {(people.data ?? []).map((g) => (
            <optgroup key={g.role} label={g.label}>
              {g.people.map((p) => (
                <option key={p.userId} value={p.userId}>{`${p.name}（${p.unitName} · ${p.title}）`}</option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      {signIn.error && <Note kind="error">{signIn.error.message}</Note>}
      <button className="si-button" type="submit" disabled={!userId || signIn.isPending}>
        以此身份登录
      </button>
    </form>
  );
}

const TABS = [
  { key: 'dev', label: '开发登录' },
  { key: 'password', label: '账号密码' },
] as const;
type Tab = (typeof TABS)[number]['key'];

/**
 * Password sign-in, and the development picker of demo people where the API offers it (not in production). The
 * first route a phone loads: plain markup, no Ant Design, and the rest of the app fetched once the page is idle.
 */
export function SignInPage() {
  const session = useSession();
  const navigate = useNavigate();
  // Where the API offers no development sign-in (production), the password form is what opens.
  const devPeople = useDevPeople();
  const [chosen, setTab] = useState<Tab>();
  const tab: Tab = chosen ?? (devPeople.error ? 'password' : 'dev');
  useEffect(() => {
    // What comes after signing in, fetched while the person picks or types (and kept by the service worker).
    const later = () => void import('../shell/AntShell').then(() => import('../home/HomePage'));
    const idle = window.requestIdleCallback?.(later, { timeout: 3_000 }) ?? window.setTimeout(later, 1_000);
    return () => (window.cancelIdleCallback ? window.cancelIdleCallback(idle) : window.clearTimeout(idle));
  }, []);
  if (session) return <Navigate to={session.mustChangePassword ? '/change-password' : '/'} replace />;
  const signedIn = (s: Session) => {
    saveSession(s);
    navigate(s.mustChangePassword ? '/change-password' : '/', { replace: true });
  };
  return (
    <main className="si-page">
      <section className="si-card" aria-labelledby="si-title">
        <h1 id="si-title">督办 · 整改专项行动</h1>
        <p className="si-lead">记录、交办、整改、验收，每步签字留痕</p>
        <div className="si-tabs" role="tablist" aria-label="登录方式">
          {TABS.map((t) => (
            <button
              key={t.key}
              id={`si-tab-${t.key}`}
              className="si-tab"
              type="button"
              role="tab"
              aria-selected={tab === t.key}
              aria-controls={`si-panel-${t.key}`}
              onClick={() => setTab(t.key)}
            >
              {t.label}
            </button>
          ))}
        </div>
        <div id={`si-panel-${tab}`} role="tabpanel" aria-labelledby={`si-tab-${tab}`}>
          {tab === 'dev' ? <DevPicker onSignedIn={signedIn} /> : <PasswordForm onSignedIn={signedIn} />}
        </div>
      </section>
    </main>
  );
}
