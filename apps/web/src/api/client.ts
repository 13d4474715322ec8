import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { clearSession, readSession } from '../session/session';

export type Schemas = components['schemas'];
export type Finding = Schemas['FindingLedgerItem'];
export type ErrorBody = Schemas['ErrorBody'];

/** Every request carries the signed-in person's token; a 401 ends the session (the directory said no). */
const auth: Middleware = {
  onRequest({ request }) {
    const session = readSession();
    if (session) request.headers.set('Authorization', `Bearer ${session.accessToken}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && readSession()) clearSession();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

/** The API's refusal, carried as an Error so the query cache and forms show its Chinese message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Partial<ErrorBody>,
  ) {
    super(body.message ?? `请求失败（${status}）`);
  }
}

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
  const session = readSession();
  const res = await fetch(path, { headers: session ? { Authorization: `Bearer ${session.accessToken}` } : {} });
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
