import { useSyncExternalStore } from 'react';

export type Role = 'inspector' | 'supervisor' | 'unit_official' | 'discipline_inspector' | 'admin';

export interface Person {
  userId: string;
  name: string;
  unitId: string;
  role: Role;
}

/** Both sign-ins answer with this shape (POST /auth/sign-in, POST /auth/dev-sign-in). */
export interface Session {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string | null;
  mustChangePassword: boolean;
  person: Person;
}

export const ROLE_LABELS: Record<Role, string> = {
  inspector: '督查组成员',
  supervisor: '督查办',
  unit_official: '乡镇/部门责任人',
  discipline_inspector: '纪委监委',
  admin: '系统管理员',
};

const KEY = 'duban.session';
const listeners = new Set<() => void>();
let cached: { raw: string | null; session: Session | null } = { raw: null, session: null };

/** The session lives in localStorage (the phone keeps it across restarts); it is not server state. */
export function readSession(): Session | null {
  const raw = localStorage.getItem(KEY);
  if (raw !== cached.raw) {
    let session: Session | null = null;
    try {
      session = raw ? (JSON.parse(raw) as Session) : null;
    } catch {
      session = null;
    }
    // An expired access token ends a session only when there is no refresh token to renew it with (dev sign-in).
    if (session && !session.refreshToken && Date.parse(session.accessTokenExpiresAt) <= Date.now()) session = null;
    cached = { raw, session };
  }
  return cached.session;
}

export function saveSession(session: Session): void {
  localStorage.setItem(KEY, JSON.stringify(session));
  listeners.forEach((l) => l());
}

export function clearSession(): void {
  localStorage.removeItem(KEY);
  listeners.forEach((l) => l());
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  window.addEventListener('storage', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', listener);
  };
};

export const useSession = (): Session | null => useSyncExternalStore(subscribe, readSession);

/** Inside the signed-in layout the session is always there. */
export function usePerson(): Person {
  const session = useSession();
  if (!session) throw new Error('not signed in');
  return session.person;
}
