import { beforeEach, describe, expect, it, vi } from 'vitest';

// The session store reads localStorage; Node has none, so a plain in-memory one stands in (no DOM needed).
const store = new Map<string, string>();
vi.stubGlobal('localStorage', {
  getItem: (k: string) => store.get(k) ?? null,
  setItem: (k: string, v: string) => void store.set(k, v),
  removeItem: (k: string) => void store.delete(k),
});

vi.stubGlobal('location', { origin: 'http://duban.test' });

const person = { userId: 'admin-1', name: '王建军', unitId: 'county-office', role: 'admin' as const };
const session = (n: number) => ({
  accessToken: `access-${n}`,
  accessTokenExpiresAt: '2026-11-23T02:15:00.000Z',
  refreshToken: `refresh-${n}`,
  mustChangePassword: false,
  person,
});

// The API's answer to POST /auth/refresh, counted: refresh tokens rotate, so two uses of one would end the session.
const refreshes: string[] = [];
let answer: (token: string) => Response = () => new Response('{}', { status: 500 });
vi.stubGlobal('fetch', async (req: Request) => {
  const { refreshToken } = (await req.json()) as { refreshToken: string };
  refreshes.push(refreshToken);
  await new Promise((r) => setTimeout(r, 5));
  return answer(refreshToken);
});

const { refreshSession } = await import('./auth');
const { readSession, saveSession } = await import('../session/session');

describe('refreshing the session', () => {
  beforeEach(() => {
    refreshes.length = 0;
    saveSession(session(1));
  });

  it('sends one refresh for every caller that met the same stale token, and none once it is renewed', async () => {
    answer = () => Response.json(session(2));
    const renewed = await Promise.all([refreshSession('access-1'), refreshSession('access-1'), refreshSession('access-1')]);
    expect(refreshes).toEqual(['refresh-1']);
    expect(renewed.map((s) => s?.accessToken)).toEqual(['access-2', 'access-2', 'access-2']);
    expect(readSession()).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2' });
    // A request that left with the old token and came back refused later: the new token is already there.
    expect((await refreshSession('access-1'))?.accessToken).toBe('access-2');
    expect(refreshes).toEqual(['refresh-1']);
  });

  it('ends the session when the refresh token is refused, and keeps it when the server is only unavailable', async () => {
    answer = () => new Response(JSON.stringify({ code: 'SERVER_UNAVAILABLE' }), { status: 503 });
    expect(await refreshSession('access-1')).toBeNull();
    expect(readSession()?.accessToken).toBe('access-1');
    answer = () => new Response(JSON.stringify({ code: 'INVALID_REFRESH_TOKEN' }), { status: 401 });
    expect(await refreshSession('access-1')).toBeNull();
    expect(readSession()).toBeNull();
  });
});
