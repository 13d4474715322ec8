import { arrayOf, bool, dateTime, nullable, obj, str } from './schema-dsl';

// The development sign-in's answers (apps/api/src/auth/dev-sign-in): the same session shape as the password sign-in.

export const DEV_SIGN_IN_SCHEMAS = {
  DevSignInResult: obj({
    accessToken: str,
    accessTokenExpiresAt: dateTime,
    refreshToken: nullable(str),
    mustChangePassword: bool,
    person: obj({ userId: str, name: str, unitId: str, role: str }),
  }),
  DevPeople: arrayOf(
    obj({
      role: str,
      label: str,
      people: arrayOf(obj({ userId: str, name: str, unitId: str, unitName: str, title: str })),
    }),
  ),
};
