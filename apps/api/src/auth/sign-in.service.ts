import { Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import {
  type Actor,
  afterFailure,
  checkPasswordRules,
  InvalidInputError,
  InvalidStateError,
  isPersonRole,
  lockedForSeconds,
  NotFoundError,
  SYSTEM_ACTOR,
  type SignInMethod,
  type ThrottleState,
} from '@duban/domain';
import { AccountCommands, type AccountCommandRequest } from '@duban/application';
import { CLOCK, type Clock } from '../database/database.module';
import { DUBAN_CONFIG, type DubanConfig, authSettings, type AuthSettings } from '../config/config';
import { DirectoryRepository, type UserRow } from '../directory/directory.repository';
import { RetryLater } from '../errors/http-errors';
import { type Credential, CredentialsStore } from './credentials.store';
import { hashPassword, opaqueToken, sha256, temporaryPassword, verifyPassword } from './passwords';

export interface PersonView {
  userId: string;
  name: string;
  unitId: string;
  role: string;
}

export interface SignInResult {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  mustChangePassword: boolean;
  person: PersonView;
}

export interface IssuedPassword {
  userId: string;
  login: string;
  phone: string | null;
  /** Shown once; the holder must change it at the next sign-in. */
  temporaryPassword: string;
  mustChangePassword: true;
}

/** Where a request came from and how it is traced. */
export interface RequestOrigin {
  clientAddress: string;
  correlationId: string;
}

const LOGIN_PATTERN = /^[a-z][a-z0-9._-]{2,31}$/;
const PHONE_PATTERN = /^1\d{10}$/;

/** A phone (mainland mobile, spaces, hyphens and +86 tolerated) or a login name, lower-cased. */
export function parseLogin(input: string): { kind: 'phone' | 'login'; value: string } {
  const compact = input.trim().replace(/[\s-]/g, '');
  const phone = /^(?:\+?86)?(1\d{10})$/.exec(compact);
  return phone ? { kind: 'phone', value: phone[1] } : { kind: 'login', value: input.trim().toLowerCase() };
}

const invalidCredentials = () =>
  new UnauthorizedException({ code: 'INVALID_CREDENTIALS', message: '登录名或密码错误 (INVALID_CREDENTIALS)' });
const refused = (code: string, message: string) => new UnauthorizedException({ code, message: `${message} (${code})` });

const toPerson = (u: UserRow): PersonView => ({ userId: u.userId, name: u.name, unitId: u.unitId, role: u.role });
const toActor = (u: UserRow): Actor => {
  if (!isPersonRole(u.role)) throw new Error(`directory role ${u.role} cannot sign in`);
  return { userId: u.userId, name: u.name, unitId: u.unitId, role: u.role };
};

/**
 * Sign-in, refresh, sign-out and passwords. Access tokens are short HS256 JWTs carrying the session id (`sid`), so
 * the guard can refuse a revoked session's tokens at once; refresh tokens are random, stored as sha256, rotated on
 * every use, and a spent one presented again revokes its whole session (someone holds a copy). Every fact an
 * inspector must read goes to the account's event stream through AccountCommands — never a password or a token.
 */
@Injectable()
export class SignInService {
  private readonly logger = new Logger('SignIn');
  readonly settings: AuthSettings;

  constructor(
    private readonly store: CredentialsStore,
    private readonly accounts: AccountCommands,
    private readonly directory: DirectoryRepository,
    private readonly jwt: JwtService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DUBAN_CONFIG) config: DubanConfig,
  ) {
    this.settings = authSettings(config);
  }

  private record(command: AccountCommandRequest, signer: Actor, origin: RequestOrigin) {
    // Each fact is its own command: a fresh key, since a sign-in is never "the same request again".
    return this.accounts.handle(command, signer, { idempotencyKey: `auth:${randomUUID()}`, correlationId: origin.correlationId });
  }

  // ---------- sign-in ----------

  async signIn(login: string, password: string, origin: RequestOrigin): Promise<SignInResult> {
    const now = this.clock.now();
    const parsed = parseLogin(login);
    const credential = parsed.kind === 'phone' ? await this.store.byPhone(parsed.value) : await this.store.byLogin(parsed.value);
    // An unknown login has a counter of its own, so it locks exactly as a real account would: no enumeration.
    const accountKey = credential ? `account:${credential.userId}` : `login:${sha256(`${parsed.kind}:${parsed.value}`)}`;
    const addressKey = `address:${origin.clientAddress}`;
    // Each attempt is counted before the password is checked, under the counter's row lock: parallel guesses cannot
    // all slip in before the first failure is written. The address first, so a locked address spares the account.
    const address = await this.attempt(addressKey, this.settings.addressLockout, now);
    const account = address.wait > 0 ? null : await this.attempt(accountKey, this.settings.accountLockout, now);
    const wait = Math.max(address.wait, account?.wait ?? 0);
    if (wait > 0) {
      if (credential && account) {
        await this.record(
          { type: 'RecordSignInFailure', userId: credential.userId, data: { clientAddress: origin.clientAddress, reason: 'locked_out', failures: account.state.failures, lockedUntil: null } },
          SYSTEM_ACTOR,
          origin,
        );
      }
      throw new RetryLater('TOO_MANY_ATTEMPTS', `登录失败次数过多，请 ${wait} 秒后再试`, wait);
    }
    const ok = await verifyPassword(credential?.passwordHash ?? null, password);
    if (!ok) {
      await this.fail(credential, account!, address, origin);
      throw invalidCredentials();
    }
    const person = await this.directory.user(credential!.userId);
    if (!person || !person.active) {
      await this.record(
        { type: 'RecordSignInFailure', userId: credential!.userId, data: { clientAddress: origin.clientAddress, reason: 'person_inactive', failures: 0, lockedUntil: null } },
        SYSTEM_ACTOR,
        origin,
      );
      throw refused('USER_INACTIVE', '此人已停用或不在人员目录中，不能登录');
    }
    await this.store.clearThrottle([accountKey, addressKey]);
    return this.startSession(person, 'password', credential!.mustChangePassword, origin);
  }

  /**
   * Counts one attempt for a key, unless it is locked: `wait` is the lock's remaining seconds (the attempt is then
   * refused and not counted), and `lockedNow` says this attempt was the one that reached the threshold.
   */
  private async attempt(key: string, policy: AuthSettings['accountLockout'], now: Date): Promise<{ wait: number; lockedNow: boolean; state: ThrottleState }> {
    const at = now.toISOString();
    let wait = 0;
    const state = await this.store.updateThrottle(
      key,
      (s) => {
        wait = lockedForSeconds(s, at);
        return wait > 0 ? s : afterFailure(s, at, policy);
      },
      now,
    );
    return { wait, lockedNow: wait === 0 && lockedForSeconds(state, at) > 0, state };
  }

  private async fail(
    credential: Credential | null,
    account: { lockedNow: boolean; state: ThrottleState },
    address: { lockedNow: boolean; state: ThrottleState },
    origin: RequestOrigin,
  ): Promise<void> {
    if (credential) {
      const { lockedNow, state } = account;
      await this.record(
        {
          type: 'RecordSignInFailure',
          userId: credential.userId,
          data: {
            clientAddress: origin.clientAddress,
            reason: 'wrong_password',
            failures: lockedNow ? this.settings.accountLockout.threshold : state.failures,
            lockedUntil: lockedNow ? state.lockedUntil : null,
          },
        },
        SYSTEM_ACTOR,
        origin,
      );
    } else {
      // No account to hold the fact; the login itself is not logged (it may be a password typed in the wrong box).
      this.logger.warn({ clientAddress: origin.clientAddress, correlationId: origin.correlationId }, 'sign-in failed for an unknown login');
    }
    if (address.lockedNow) {
      this.logger.warn({ clientAddress: origin.clientAddress, lockedUntil: address.state.lockedUntil }, 'client address locked out');
    }
  }

  /** A new session for a signed-in person (password or single sign-on): tokens, and SignedIn on their account. */
  async startSession(person: UserRow, method: SignInMethod, mustChangePassword: boolean, origin: RequestOrigin): Promise<SignInResult> {
    const now = this.clock.now();
    const sessionId = randomUUID();
    const refreshToken = opaqueToken();
    const expiresAt = new Date(now.getTime() + this.settings.refreshAbsoluteSeconds * 1000);
    await this.store.transaction((c) => this.store.createSession(c, { sessionId, userId: person.userId, method, expiresAt }, sha256(refreshToken), now));
    try {
      await this.record({ type: 'RecordSignIn', userId: person.userId, data: { sessionId, method, clientAddress: origin.clientAddress } }, toActor(person), origin);
    } catch (err) {
      // No session without its audit record.
      await this.store.revokeSession(sessionId, 'audit_failed', now);
      throw err;
    }
    return { ...this.accessToken(person, sessionId), refreshToken, mustChangePassword, person: toPerson(person) };
  }

  private accessToken(person: UserRow, sessionId: string): { accessToken: string; accessTokenExpiresAt: string } {
    const accessToken = this.jwt.sign(
      { sub: person.userId, name: person.name, unitId: person.unitId, role: person.role, sid: sessionId },
      { expiresIn: this.settings.accessTokenTtlSeconds },
    );
    const { exp } = this.jwt.decode(accessToken) as { exp: number };
    return { accessToken, accessTokenExpiresAt: new Date(exp * 1000).toISOString() };
  }

  // ---------- refresh ----------

  async refresh(refreshToken: string, origin: RequestOrigin): Promise<SignInResult> {
    const now = this.clock.now();
    const next = opaqueToken();
    const outcome = await this.store.transaction(async (c) => {
      const found = await this.store.findRefresh(c, sha256(refreshToken));
      if (found.kind === 'unknown') return { kind: 'refused' as const, error: refused('INVALID_REFRESH_TOKEN', '刷新令牌无效') };
      const s = found.session;
      if (s.revokedAt) return { kind: 'refused' as const, error: refused('SESSION_REVOKED', '会话已结束，请重新登录') };
      if (found.kind === 'spent') {
        await this.store.revokeSession(s.sessionId, 'refresh_token_reused', now, c);
        return { kind: 'reused' as const, session: s };
      }
      const idleEnd = s.lastUsedAt.getTime() + this.settings.refreshIdleSeconds * 1000;
      if (now.getTime() >= Math.min(idleEnd, s.expiresAt.getTime())) {
        return { kind: 'refused' as const, error: refused('SESSION_EXPIRED', '会话已过期，请重新登录') };
      }
      const person = await this.directory.user(s.userId);
      if (!person || !person.active) return { kind: 'refused' as const, error: refused('USER_INACTIVE', '此人已停用，不能继续使用') };
      await this.store.rotate(c, s.sessionId, sha256(refreshToken), sha256(next), now);
      const credential = await this.store.byUser(s.userId);
      return { kind: 'rotated' as const, person, sessionId: s.sessionId, mustChangePassword: credential?.mustChangePassword ?? false };
    });
    if (outcome.kind === 'refused') throw outcome.error;
    if (outcome.kind === 'reused') {
      // Committed first: the family stays revoked even if the audit append fails.
      await this.record({ type: 'EndSession', userId: outcome.session.userId, data: { sessionId: outcome.session.sessionId, reason: 'refresh_token_reused' } }, SYSTEM_ACTOR, origin);
      this.logger.warn({ sessionId: outcome.session.sessionId, clientAddress: origin.clientAddress }, 'spent refresh token presented again: session revoked');
      throw refused('REFRESH_TOKEN_REUSED', '刷新令牌已被使用过，为安全起见该会话已全部注销，请重新登录');
    }
    return {
      ...this.accessToken(outcome.person, outcome.sessionId),
      refreshToken: next,
      mustChangePassword: outcome.mustChangePassword,
      person: toPerson(outcome.person),
    };
  }

  // ---------- sign-out, passwords ----------

  async signOut(actor: Actor, sessionId: string | null, origin: RequestOrigin): Promise<{ signedOut: boolean }> {
    if (!sessionId) throw new InvalidInputError('NO_SESSION', 'Authorization', '此令牌不属于任何登录会话，无需注销');
    const ended = await this.store.revokeSession(sessionId, 'signed_out', this.clock.now());
    if (ended) await this.record({ type: 'EndSession', userId: actor.userId, data: { sessionId, reason: 'signed_out' } }, actor, origin);
    return { signedOut: ended };
  }

  async changePassword(actor: Actor, sessionId: string | null, currentPassword: string, newPassword: string, origin: RequestOrigin): Promise<{ changed: true }> {
    const credential = await this.store.byUser(actor.userId);
    if (!credential) throw new NotFoundError('ACCOUNT_NOT_FOUND', '此人还没有登录账号');
    if (!(await verifyPassword(credential.passwordHash, currentPassword))) {
      throw new InvalidInputError('WRONG_PASSWORD', 'currentPassword', '当前密码不正确');
    }
    checkPasswordRules(newPassword, credential);
    if (newPassword === currentPassword) throw new InvalidInputError('PASSWORD_UNCHANGED', 'newPassword', '新密码不能与当前密码相同');
    const passwordHash = await hashPassword(newPassword);
    const now = this.clock.now();
    await this.store.transaction(async (c) => {
      await this.store.setPassword(c, actor.userId, passwordHash, false, now);
      // Other devices signed in with the old password are signed out; this one carries on.
      await this.store.revokeSessionsOf(c, actor.userId, 'password_changed', now, sessionId);
      await this.record({ type: 'ChangePassword', userId: actor.userId, data: { sessionId } }, actor, origin);
    });
    return { changed: true };
  }

  // ---------- administration ----------

  async createAccount(
    admin: Actor,
    input: { userId: string; login: string; phone?: string | null },
    meta: { idempotencyKey: string; correlationId: string },
  ): Promise<IssuedPassword> {
    const login = input.login.trim().toLowerCase();
    if (!LOGIN_PATTERN.test(login)) {
      throw new InvalidInputError('INVALID_LOGIN', 'login', '登录名须以字母开头，由 3–32 位小写字母、数字、点、下划线或连字符组成');
    }
    const phone = input.phone ? input.phone.replace(/[\s-]/g, '') : null;
    if (phone !== null && !PHONE_PATTERN.test(phone)) throw new InvalidInputError('INVALID_PHONE', 'phone', '手机号须为 11 位数字');
    const person = await this.directory.user(input.userId);
    if (!person) throw new NotFoundError('PERSON_NOT_FOUND', '人员目录中没有此人');
    if (!person.active) throw new InvalidStateError('USER_INACTIVE', '此人已停用，不能开设账号');
    const password = temporaryPassword();
    const passwordHash = await hashPassword(password);
    const now = this.clock.now();
    await this.store.transaction(async (c) => {
      const inserted = await this.store.insert(c, { userId: person.userId, login, phone, passwordHash, mustChangePassword: true }, now);
      if (inserted === 'user') throw new InvalidStateError('ACCOUNT_EXISTS', '此人已有登录账号');
      if (inserted === 'login') throw new InvalidStateError('LOGIN_TAKEN', '登录名已被他人使用');
      if (inserted === 'phone') throw new InvalidStateError('PHONE_TAKEN', '手机号已被他人的账号使用');
      await this.accounts.handle({ type: 'CreateAccount', userId: person.userId, data: { userId: person.userId, login, phone } }, admin, meta);
    });
    return { userId: person.userId, login, phone, temporaryPassword: password, mustChangePassword: true };
  }

  async resetPassword(admin: Actor, userId: string, reason: string, meta: { idempotencyKey: string; correlationId: string }): Promise<IssuedPassword> {
    const credential = await this.store.byUser(userId);
    if (!credential) throw new NotFoundError('ACCOUNT_NOT_FOUND', '此人还没有登录账号');
    const password = temporaryPassword();
    const passwordHash = await hashPassword(password);
    const now = this.clock.now();
    await this.store.transaction(async (c) => {
      await this.store.setPassword(c, userId, passwordHash, true, now);
      await this.store.revokeSessionsOf(c, userId, 'password_reset', now);
      const attempt = randomUUID();
      const result = await this.accounts.handle({ type: 'ResetPassword', userId, data: { reason } }, admin, meta, attempt);
      // The key was used before: that reset's password was shown once and cannot be shown again.
      if (result.attempt !== attempt) throw new InvalidStateError('PASSWORD_ALREADY_RESET', '此幂等键的重置已执行过，临时密码只显示一次；请用新的幂等键重新重置');
    });
    // Whoever was locked out is let in with the new password.
    await this.store.clearThrottle([`account:${userId}`]);
    return { userId, login: credential.login, phone: credential.phone, temporaryPassword: password, mustChangePassword: true };
  }
}
