import type { ApiHarness } from './api-harness';
import { idempotencyKeys } from './api-fixtures';

const key = idempotencyKeys('accounts');

/** A good password for the tests: long, mixed, not anybody's login or phone. */
export const GOOD_PASSWORD = '河堤巡查-2026-春';

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** An administrator (admin-1, development token) opens an account; the temporary password comes back once. */
export async function createAccount(h: ApiHarness, userId: string, login: string, phone?: string) {
  const res = await h
    .http()
    .post('/accounts')
    .set(bearer(h.token('admin-1')))
    .set('Idempotency-Key', key())
    .send({ userId, login, ...(phone ? { phone } : {}) });
  if (res.status !== 201) throw new Error(`createAccount ${userId}: ${res.status} ${res.text}`);
  return res.body as { userId: string; login: string; temporaryPassword: string };
}

export const signIn = (h: ApiHarness, login: string, password: string) => h.http().post('/auth/sign-in').send({ login, password });

/** An account past its forced change: signed in with the new password, tokens returned. */
export async function activeAccount(h: ApiHarness, userId: string, login: string, phone?: string, password = GOOD_PASSWORD) {
  const { temporaryPassword } = await createAccount(h, userId, login, phone);
  const first = await signIn(h, login, temporaryPassword);
  const changed = await h
    .http()
    .post('/auth/change-password')
    .set(bearer(first.body.accessToken))
    .send({ currentPassword: temporaryPassword, newPassword: password });
  if (changed.status !== 200) throw new Error(`change-password ${userId}: ${changed.status} ${changed.text}`);
  const res = await signIn(h, login, password);
  if (res.status !== 200) throw new Error(`sign-in ${userId}: ${res.status} ${res.text}`);
  return res.body as { accessToken: string; refreshToken: string; accessTokenExpiresAt: string };
}

export const newKey = key;
