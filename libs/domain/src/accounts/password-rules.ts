import { InvalidInputError } from '../shared/errors';

export const PASSWORD_MIN_LENGTH = 10;
/** argon2 hashes whatever it is given; a cap keeps a megabyte "password" from costing the server. */
export const PASSWORD_MAX_LENGTH = 128;

/** The handful every list of leaked passwords starts with, in the forms people pad to ten characters. */
const COMMON = ['password', 'qwerty', 'abc123', '123456', '111111', 'admin', 'iloveyou', 'woaini', 'duban', 'letmein'];

/**
 * What a new password must be: long enough, not too long, not the login name or phone (nor containing them), not a
 * padded common password, with at least two kinds of characters (letters, digits, others) and not one character
 * repeated. The first rule broken is the one named, as a 400 on `field`.
 */
export function checkPasswordRules(password: string, context: { login: string; phone: string | null }, field = 'newPassword'): void {
  const fail = (code: string, message: string) => {
    throw new InvalidInputError(code, field, message);
  };
  const chars = [...password];
  if (chars.length < PASSWORD_MIN_LENGTH) fail('PASSWORD_TOO_SHORT', `密码至少 ${PASSWORD_MIN_LENGTH} 个字符`);
  if (chars.length > PASSWORD_MAX_LENGTH) fail('PASSWORD_TOO_LONG', `密码不能超过 ${PASSWORD_MAX_LENGTH} 个字符`);
  const lower = password.toLowerCase();
  if (context.login && lower.includes(context.login.toLowerCase())) fail('PASSWORD_CONTAINS_LOGIN', '密码不能包含登录名');
  if (context.phone && password.includes(context.phone)) fail('PASSWORD_CONTAINS_PHONE', '密码不能包含手机号');
  if (new Set(chars).size <= 2) fail('PASSWORD_TOO_SIMPLE', '密码不能只由一两个字符重复组成');
  const kinds = [/\p{L}/u, /\p{N}/u, /[^\p{L}\p{N}]/u].filter((re) => re.test(password)).length;
  if (kinds < 2) fail('PASSWORD_TOO_SIMPLE', '密码需包含字母、数字、符号中的至少两类');
  const stripped = lower.replace(/[^a-z]/g, '');
  if (COMMON.some((c) => stripped === c || lower.startsWith(c) || lower.endsWith(c))) fail('PASSWORD_TOO_COMMON', '密码过于常见');
}
