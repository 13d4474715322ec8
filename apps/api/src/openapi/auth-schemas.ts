import { arrayOf, bool, dateTime, int, nullable, obj, oneOf, ref, str } from './schema-dsl';

// Response schemas of sign-in, sessions, accounts and their audit trail.

const person = obj({ userId: str, name: str, unitId: str, role: str });

export const AUTH_SCHEMAS = {
  SignInPerson: person,
  SignInResult: obj(
    {
      accessToken: str,
      accessTokenExpiresAt: dateTime,
      refreshToken: str,
      mustChangePassword: bool,
      person: ref('SignInPerson'),
    },
    '访问令牌（短期，Bearer）与刷新令牌（一次性，轮换）；mustChangePassword 为真时只能修改密码',
  ),
  SignOutResult: obj({ signedOut: bool }),
  PasswordChanged: obj({ changed: bool }),
  CurrentAccount: obj({
    person: ref('SignInPerson'),
    sessionId: nullable(str),
    mustChangePassword: bool,
    account: nullable(obj({ login: str, phone: nullable(str) })),
  }),
  IssuedPassword: obj(
    { userId: str, login: str, phone: nullable(str), temporaryPassword: str, mustChangePassword: bool },
    '临时密码只显示这一次；持有人首次登录须修改',
  ),
  AccountAuditTrail: obj({
    items: arrayOf(
      obj({
        version: int,
        eventType: oneOf(['AccountCreated', 'SignedIn', 'SignInFailed', 'AccountLockedOut', 'PasswordChanged', 'PasswordReset', 'SessionEnded']),
        at: dateTime,
        signer: nullable(obj({ userId: str, name: str, role: str })),
        sessionId: nullable(str),
        method: nullable(str),
        clientAddress: nullable(str),
        detail: { type: 'object', additionalProperties: true },
        hash: str,
      }),
    ),
    total: int,
    page: int,
    pageSize: int,
  }),
};
