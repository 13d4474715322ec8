import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { ThrottleState } from '@duban/domain';
import { withTransaction } from '@duban/event-store';
import { PG_POOL } from '../database/database.module';

export interface Credential {
  userId: string;
  login: string;
  phone: string | null;
  passwordHash: string;
  mustChangePassword: boolean;
}

export interface SessionRow {
  sessionId: string;
  userId: string;
  method: 'password' | 'oidc';
  lastUsedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** What the guard needs of a session on every request, in one primary-key read. */
export interface SessionCheck {
  userId: string;
  revoked: boolean;
  expiresAt: Date;
  mustChangePassword: boolean;
}

export type RefreshLookup =
  | { kind: 'unknown' }
  | { kind: 'spent'; session: SessionRow }
  | { kind: 'live'; session: SessionRow };

const CREDENTIAL = `user_id AS "userId", login, phone, password_hash AS "passwordHash", must_change_password AS "mustChangePassword"`;
const SESSION = `s.session_id::text AS "sessionId", s.user_id AS "userId", s.method, s.last_used_at AS "lastUsedAt",
  s.expires_at AS "expiresAt", s.revoked_at AS "revokedAt"`;

/**
 * The sign-in tables (migration 0020): credentials (argon2id hashes), sessions and their refresh tokens (sha256 only),
 * lockout counters and single sign-on requests in flight. Nothing here is an event: the audit facts are appended by
 * AccountCommands, and password material never leaves this store.
 */
@Injectable()
export class CredentialsStore {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return withTransaction(this.pool, work);
  }

  async byLogin(login: string): Promise<Credential | null> {
    const { rows } = await this.pool.query<Credential>(`SELECT ${CREDENTIAL} FROM auth_credentials WHERE login = $1`, [login]);
    return rows[0] ?? null;
  }

  async byPhone(phone: string): Promise<Credential | null> {
    const { rows } = await this.pool.query<Credential>(`SELECT ${CREDENTIAL} FROM auth_credentials WHERE phone = $1`, [phone]);
    return rows[0] ?? null;
  }

  async byUser(userId: string): Promise<Credential | null> {
    const { rows } = await this.pool.query<Credential>(`SELECT ${CREDENTIAL} FROM auth_credentials WHERE user_id = $1`, [userId]);
    return rows[0] ?? null;
  }

  /** False when the person already has an account, or the login or phone is someone else's. */
  async insert(client: PoolClient, c: Credential, now: Date): Promise<'ok' | 'user' | 'login' | 'phone'> {
    const taken = await client.query<{ what: string }>(
      `SELECT CASE WHEN user_id = $1 THEN 'user' WHEN login = $2 THEN 'login' ELSE 'phone' END AS what
         FROM auth_credentials WHERE user_id = $1 OR login = $2 OR (phone IS NOT NULL AND phone = $3) LIMIT 1`,
      [c.userId, c.login, c.phone],
    );
    if (taken.rows.length) return taken.rows[0].what as 'user' | 'login' | 'phone';
    const res = await client.query(
      `INSERT INTO auth_credentials (user_id, login, phone, password_hash, must_change_password, created_at, password_changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT DO NOTHING`,
      [c.userId, c.login, c.phone, c.passwordHash, c.mustChangePassword, now],
    );
    return res.rowCount === 1 ? 'ok' : 'login';
  }

  async setPassword(client: PoolClient, userId: string, passwordHash: string, mustChange: boolean, now: Date): Promise<void> {
    await client.query(
      `UPDATE auth_credentials SET password_hash = $2, must_change_password = $3, password_changed_at = $4 WHERE user_id = $1`,
      [userId, passwordHash, mustChange, now],
    );
  }

  // ---------- sessions ----------

  async createSession(
    client: PoolClient,
    s: { sessionId: string; userId: string; method: 'password' | 'oidc'; expiresAt: Date },
    refreshHash: string,
    now: Date,
  ): Promise<void> {
    await client.query(
      `INSERT INTO auth_sessions (session_id, user_id, method, created_at, last_used_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)`,
      [s.sessionId, s.userId, s.method, now, s.expiresAt],
    );
    await client.query(`INSERT INTO auth_refresh_tokens (token_hash, session_id, issued_at) VALUES ($1, $2, $3)`, [refreshHash, s.sessionId, now]);
  }

  async checkSession(sessionId: string): Promise<SessionCheck | null> {
    const { rows } = await this.pool.query<SessionCheck>(
      `SELECT s.user_id AS "userId", s.revoked_at IS NOT NULL AS revoked, s.expires_at AS "expiresAt",
              coalesce(c.must_change_password AND s.method = 'password', false) AS "mustChangePassword"
         FROM auth_sessions s LEFT JOIN auth_credentials c ON c.user_id = s.user_id
        WHERE s.session_id = $1`,
      [sessionId],
    );
    return rows[0] ?? null;
  }

  async findRefresh(client: PoolClient, tokenHash: string): Promise<RefreshLookup> {
    // FOR UPDATE: two refreshes with one token serialise here, so exactly one of them spends it.
    const { rows } = await client.query<SessionRow & { spentAt: Date | null }>(
      `SELECT ${SESSION}, t.spent_at AS "spentAt"
         FROM auth_refresh_tokens t JOIN auth_sessions s ON s.session_id = t.session_id
        WHERE t.token_hash = $1 FOR UPDATE OF t, s`,
      [tokenHash],
    );
    if (!rows.length) return { kind: 'unknown' };
    const { spentAt, ...session } = rows[0];
    return spentAt ? { kind: 'spent', session } : { kind: 'live', session };
  }

  async rotate(client: PoolClient, sessionId: string, spentHash: string, nextHash: string, now: Date): Promise<void> {
    await client.query(`UPDATE auth_refresh_tokens SET spent_at = $2 WHERE token_hash = $1`, [spentHash, now]);
    await client.query(`INSERT INTO auth_refresh_tokens (token_hash, session_id, issued_at) VALUES ($1, $2, $3)`, [nextHash, sessionId, now]);
    await client.query(`UPDATE auth_sessions SET last_used_at = $2 WHERE session_id = $1`, [sessionId, now]);
  }

  /** True if this call revoked it (it was live). */
  async revokeSession(sessionId: string, reason: string, now: Date, db: Pick<Pool | PoolClient, 'query'> = this.pool): Promise<boolean> {
    const res = await db.query(
      `UPDATE auth_sessions SET revoked_at = $2, revoked_reason = $3 WHERE session_id = $1 AND revoked_at IS NULL`,
      [sessionId, now, reason],
    );
    return res.rowCount === 1;
  }

  /** Every live session of a person but `except`; the ids revoked. */
  async revokeSessionsOf(client: PoolClient, userId: string, reason: string, now: Date, except: string | null = null): Promise<string[]> {
    const { rows } = await client.query<{ id: string }>(
      `UPDATE auth_sessions SET revoked_at = $2, revoked_reason = $3
        WHERE user_id = $1 AND revoked_at IS NULL AND ($4::uuid IS NULL OR session_id <> $4::uuid)
        RETURNING session_id::text AS id`,
      [userId, now, reason, except],
    );
    return rows.map((r) => r.id);
  }

  // ---------- lockout ----------

  /** Applies `next` to the key's current state under a row lock, so concurrent failures all count. */
  async updateThrottle(key: string, next: (s: ThrottleState) => ThrottleState, now: Date): Promise<ThrottleState> {
    return this.transaction(async (client) => {
      // An upsert that always returns the row, locked: a concurrent clear (DELETE) cannot leave us without one.
      const { rows } = await client.query<{ failures: number; lockouts: number; lockedUntil: Date | null }>(
        `INSERT INTO auth_throttle (throttle_key, failures, lockouts, updated_at) VALUES ($1, 0, 0, $2)
         ON CONFLICT (throttle_key) DO UPDATE SET throttle_key = EXCLUDED.throttle_key
         RETURNING failures, lockouts, locked_until AS "lockedUntil"`,
        [key, now],
      );
      const state = next({ failures: rows[0].failures, lockouts: rows[0].lockouts, lockedUntil: rows[0].lockedUntil?.toISOString() ?? null });
      await client.query(
        `UPDATE auth_throttle SET failures = $2, lockouts = $3, locked_until = $4, updated_at = $5 WHERE throttle_key = $1`,
        [key, state.failures, state.lockouts, state.lockedUntil, now],
      );
      return state;
    });
  }

  async clearThrottle(keys: string[]): Promise<void> {
    await this.pool.query(`DELETE FROM auth_throttle WHERE throttle_key = ANY($1)`, [keys]);
  }

  // ---------- single sign-on requests ----------

  /** Also forgets requests nobody came back from (`notBefore`): the table holds only the flows in flight. */
  async saveOidcRequest(state: string, codeVerifier: string, nonce: string, now: Date, notBefore: Date): Promise<void> {
    await this.pool.query(`DELETE FROM auth_oidc_requests WHERE created_at < $1`, [notBefore]);
    await this.pool.query(`INSERT INTO auth_oidc_requests (state, code_verifier, nonce, created_at) VALUES ($1, $2, $3, $4)`, [
      state,
      codeVerifier,
      nonce,
      now,
    ]);
  }

  /** Takes the request once: a replayed callback finds nothing. Requests older than `notBefore` are void. */
  async takeOidcRequest(state: string, notBefore: Date): Promise<{ codeVerifier: string; nonce: string } | null> {
    const { rows } = await this.pool.query<{ codeVerifier: string; nonce: string; createdAt: Date }>(
      `DELETE FROM auth_oidc_requests WHERE state = $1 RETURNING code_verifier AS "codeVerifier", nonce, created_at AS "createdAt"`,
      [state],
    );
    if (!rows.length || rows[0].createdAt < notBefore) return null;
    return { codeVerifier: rows[0].codeVerifier, nonce: rows[0].nonce };
  }
}
