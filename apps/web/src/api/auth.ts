import createClient from 'openapi-fetch';
import type { paths } from './schema';
import { ApiError } from './errors';
import { clearSession, readSession, saveSession, type Person, type Session } from '../session/session';

/**
 * The sign-in endpoints go through a client without the bearer middleware: a refresh must never wait on itself,
 * and a refused sign-in is not a reason to end a session.
 */
// The page's own origin, spelled out: a Request needs an absolute URL outside a browser (the unit tests).
const bare = createClient<paths>({ baseUrl: globalThis.location?.origin ?? '' });

/** The access token is renewed this long before it expires, so a request never leaves with a token about to lapse. */
export const REFRESH_MARGIN_MS = 60_000;

const asSession = (r: { accessToken: string; accessTokenExpiresAt: string; refreshToken: string; mustChangePassword: boolean; person: { userId: string; name: string; unitId: string; role: string } }): Session => ({
  ...r,
  person: r.person as Person,
});

let inFlight: Promise<Session | null> | null = null;

/**
 * Trades the refresh token for new tokens — one request at a time: refresh tokens rotate and a second use of the
 * same one is treated as theft, so every caller that finds the token stale shares the refresh in flight.
 * `staleToken` is the access token the caller saw refused or expiring; if the stored one already differs (another
 * caller or tab refreshed), that one is used and nothing is sent. Answers null when the session cannot be renewed.
 */
export function refreshSession(staleToken: string): Promise<Session | null> {
  inFlight ??= (async () => {
    const run = async (): Promise<Session | null> => {
      const current = readSession();
      if (!current?.refreshToken) return null;
      if (current.accessToken !== staleToken) return current;
      let res;
      try {
        res = await bare.POST('/auth/refresh', { body: { refreshToken: current.refreshToken } });
      } catch {
        return null; // no network: the session is kept, the request fails as offline
      }
      if (res.data) {
        const next = asSession(res.data);
        saveSession(next);
        return next;
      }
      // Revoked, expired or reused: the person signs in again. A server error keeps the session for a later try.
      if (res.response.status === 401 || res.response.status === 400) clearSession();
      return null;
    };
    // Tabs of the same browser share the stored session: the Web Locks API keeps their refreshes one at a time too.
    return typeof navigator !== 'undefined' && navigator.locks ? navigator.locks.request('duban.refresh', run) : run();
  })().finally(() => {
    inFlight = null;
  });
  return inFlight;
}

/** The session with an access token good for the next minute (renewed first when it is about to lapse). */
export async function currentSession(now = Date.now()): Promise<Session | null> {
  const session = readSession();
  if (session?.refreshToken && Date.parse(session.accessTokenExpiresAt) - now < REFRESH_MARGIN_MS) return (await refreshSession(session.accessToken)) ?? readSession();
  return session;
}

export async function signInWithPassword(login: string, password: string): Promise<Session> {
  const { data, error, response } = await bare.POST('/auth/sign-in', { body: { login, password } });
  if (!data) throw new ApiError(response.status, error ?? {});
  return asSession(data);
}

/** Revokes the session's refresh token on the server (best effort: the local session ends either way). */
export async function signOut(): Promise<void> {
  const session = await currentSession();
  clearSession();
  if (!session?.refreshToken) return;
  await bare.POST('/auth/sign-out', { headers: { Authorization: `Bearer ${session.accessToken}` } }).catch(() => undefined);
}

/** Changes the password with the current (first-time: one-time) one; the session stays and is no longer limited. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  const session = await currentSession();
  const { error, response } = await bare.POST('/auth/change-password', {
    body: { currentPassword, newPassword },
    headers: session ? { Authorization: `Bearer ${session.accessToken}` } : {},
  });
  if (!response.ok) throw new ApiError(response.status, error ?? {});
  const now = readSession();
  if (now) saveSession({ ...now, mustChangePassword: false });
}
