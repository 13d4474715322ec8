import { deciderSpec } from '../testing/decider-spec';
import { actors } from '../testing/fixtures';
import { SYSTEM_ACTOR } from '../shared/actor';
import { type AccountCommand, type AccountEvent, decideAccount, evolveAccount, initialAccountState } from './account';
import { afterFailure, CLEAR_THROTTLE, lockedForSeconds } from './lockout';
import { checkPasswordRules } from './password-rules';

const now = '2026-11-23T02:00:00.000Z';
const { admin, inspector, discipline } = actors;
const spec = deciderSpec(
  { decide: (c: AccountCommand, s, userId: string) => decideAccount(c, s, userId), evolve: evolveAccount, initialState: initialAccountState },
  inspector.userId,
);
const created: AccountEvent = {
  type: 'AccountCreated',
  data: { userId: inspector.userId, login: 'zhang', phone: null, mustChangePassword: true, signedBy: admin, at: now },
};

describe('account decider', () => {
  it('an administrator creates an account once; anyone else is refused', () => {
    spec.given([]).when({ type: 'CreateAccount', data: { userId: inspector.userId, login: 'zhang', phone: null }, metadata: { now, actor: admin } }).then([created]);
    spec.given([created]).when({ type: 'CreateAccount', data: { userId: inspector.userId, login: 'zhang', phone: null }, metadata: { now, actor: admin } }).thenThrows({ kind: 'invalid_state', code: 'ACCOUNT_EXISTS' });
    spec.given([]).when({ type: 'CreateAccount', data: { userId: inspector.userId, login: 'zhang', phone: null }, metadata: { now, actor: discipline } }).thenThrows({ kind: 'forbidden', rule: 'READ_ONLY_ROLE' });
  });

  it('a failure that crosses the threshold is recorded with the lockout, signed by the system', () => {
    spec
      .given([created])
      .when({ type: 'RecordSignInFailure', data: { clientAddress: '10.0.0.1', reason: 'wrong_password', failures: 5, lockedUntil: '2026-11-23T02:01:00.000Z' }, metadata: { now, actor: SYSTEM_ACTOR } })
      .then([
        { type: 'SignInFailed', data: { userId: inspector.userId, clientAddress: '10.0.0.1', reason: 'wrong_password', failures: 5, signedBy: SYSTEM_ACTOR, at: now } },
        { type: 'AccountLockedOut', data: { userId: inspector.userId, clientAddress: '10.0.0.1', lockedUntil: '2026-11-23T02:01:00.000Z', signedBy: SYSTEM_ACTOR, at: now } },
      ]);
  });

  it('a password sign-in needs an account and is signed by its holder; single sign-on needs none', () => {
    const signIn = (method: 'password' | 'oidc', actor = inspector): AccountCommand => ({ type: 'RecordSignIn', data: { sessionId: 's1', method, clientAddress: '::1' }, metadata: { now, actor } });
    spec.given([]).when(signIn('password')).thenThrows({ kind: 'not_found', code: 'ACCOUNT_NOT_FOUND' });
    expect(spec.given([]).when(signIn('oidc')).thenEvents().map((e) => e.type)).toEqual(['SignedIn']);
    spec.given([created]).when(signIn('password', admin)).thenThrows({ kind: 'invalid_input', code: 'ACCOUNT_MISMATCH' });
  });

  it('only an administrator resets a password', () => {
    spec.given([created]).when({ type: 'ResetPassword', data: { reason: '遗忘' }, metadata: { now, actor: inspector } }).thenThrows({ kind: 'forbidden', code: 'ROLE_REQUIRED' });
    spec.given([]).when({ type: 'ResetPassword', data: { reason: '遗忘' }, metadata: { now, actor: admin } }).thenThrows({ kind: 'not_found' });
  });
});

describe('lockout backoff', () => {
  const policy = { threshold: 3, baseSeconds: 60, maxSeconds: 150 };
  const fail = (n: number, s = CLEAR_THROTTLE) => Array.from({ length: n }).reduce<typeof s>((acc) => afterFailure(acc, now, policy), s);

  it('locks at the threshold, doubles per lockout in a row, and stops at the cap', () => {
    expect(lockedForSeconds(fail(2), now)).toBe(0);
    const first = fail(3);
    expect(lockedForSeconds(first, now)).toBe(60);
    expect(lockedForSeconds(fail(3, first), now)).toBe(120);
    expect(lockedForSeconds(fail(6, first), now)).toBe(150);
    expect(lockedForSeconds(first, '2026-11-23T02:01:00.000Z')).toBe(0);
  });
});

describe('password rules', () => {
  const ctx = { login: 'zhangsan', phone: '13800000001' };
  it.each([
    ['short1', 'PASSWORD_TOO_SHORT'],
    ['x'.repeat(129) + '1', 'PASSWORD_TOO_LONG'],
    ['ZhangSan2026!', 'PASSWORD_CONTAINS_LOGIN'],
    ['a13800000001', 'PASSWORD_CONTAINS_PHONE'],
    ['ababababab', 'PASSWORD_TOO_SIMPLE'],
    ['onlyletterswords', 'PASSWORD_TOO_SIMPLE'],
    ['password2026', 'PASSWORD_TOO_COMMON'],
  ])('refuses %s with %s on the field', (password, code) => {
    expect(() => checkPasswordRules(password, ctx)).toThrow(expect.objectContaining({ code, field: 'newPassword' }));
  });

  it('accepts a long mixed password', () => {
    expect(() => checkPasswordRules('河堤巡查-2026-春', ctx)).not.toThrow();
  });
});
