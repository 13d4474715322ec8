import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { clearSession, readSession } from '../session/session';
import { ApiError, type ErrorBody } from './errors';
import { currentSession, refreshSession } from './auth';

export { ApiError, type ErrorBody } from './errors';
export type Schemas = components['schemas'];
export type Finding = Schemas['FindingLedgerItem'];

const bearerOf = (request: Request) => request.headers.get('Authorization')?.replace(/^Bearer /, '') ?? null;
/** A copy of each request made before it is sent (fetch consumes the body), for the one retry after a refresh. */
const spares = new WeakMap<Request, Request>();

/**
 * Every request carries the signed-in person's token, renewed first when it is about to lapse. A 401 is answered by
 * one refresh (shared with every other request that meets it) and the request sent again — commands carry their
 * Idempotency-Key, so the retry appends nothing twice. A 401 that a refresh cannot cure ends the session.
 */
const auth: Middleware = {
  async onRequest({ request }) {
    const session = await currentSession();
    if (session) request.headers.set('Authorization', `Bearer ${session.accessToken}`);
    if (session?.refreshToken) spares.set(request, request.clone());
    return request;
  },
  async onResponse({ request, response }) {
    if (response.status !== 401) return response;
    const used = bearerOf(request);
    const spare = spares.get(request);
    const renewed = used && spare ? await refreshSession(used) : null;
    if (renewed && spare) {
      spare.headers.set('Authorization', `Bearer ${renewed.accessToken}`);
      return fetch(spare);
    }
    if (used && readSession()?.accessToken === used) clearSession();
    return response;
  },
};

/** fetch with the session's bearer token, renewed and retried once on a 401 like the typed client's requests. */
export async function authorizedFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const attempt = (token: string | undefined) => {
    const headers = new Headers(init.headers);
    if (token) headers.set('Authorization', `Bearer ${token}`);
    return fetch(path, { ...init, headers });
  };
  const session = await currentSession();
  const res = await attempt(session?.accessToken);
  if (res.status !== 401 || !session?.refreshToken) return res;
  const renewed = await refreshSession(session.accessToken);
  if (!renewed) {
    if (readSession()?.accessToken === session.accessToken) clearSession();
    return res;
  }
  return attempt(renewed.accessToken);
}

export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);


/** Unwraps openapi-fetch's `{ data, error }`: data, or an ApiError. */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) throw new ApiError(response.status, (error ?? {}) as Partial<ErrorBody>);
  return data as T;
}

/** Each command gets its own key; a retry of the same attempt reuses it, so nothing is appended twice. */
export const newIdempotencyKey = (): string => crypto.randomUUID();

export const commandHeaders = (key: string, capturedAt?: string) => ({
  'Idempotency-Key': key,
  ...(capturedAt ? { 'X-Captured-At': capturedAt } : {}),
});

/** A document the API answers with a bearer token (XLSX, print HTML): fetched, then handed to the browser. */
export async function fetchDocument(path: string): Promise<Blob> {
  const res = await authorizedFetch(path);
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => ({})));
  return res.blob();
}

export async function download(path: string, fileName: string): Promise<void> {
  const blob = await fetchDocument(path);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
