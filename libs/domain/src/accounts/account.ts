import { type Actor, SYSTEM_ACTOR } from '../shared/actor';
import { InvalidInputError, InvalidStateError, NotFoundError } from '../shared/errors';
import { requireRole, validateMetadata } from '../shared/guards';
import type { Command, DomainEvent, Signed } from '../shared/messages';

/**
 * A person's sign-in account as an audit stream: created and reset by an administrator, signed in and out, failed,
 * locked out, password changed. The password itself (and every token) lives only in the credentials store, hashed;
 * no event ever carries password material or a token, only the facts an inspector needs to read.
 */
export const accountStreamId = (userId: string): string => `account-${userId}`;

export const SIGN_IN_METHODS = ['password', 'oidc'] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

/** Why a sign-in was refused: the password, a lockout in force, or a person the directory no longer lets in. */
export const SIGN_IN_FAILURE_REASONS = ['wrong_password', 'locked_out', 'person_inactive'] as const;
export type SignInFailureReason = (typeof SIGN_IN_FAILURE_REASONS)[number];

/** Why a session ended: the holder signed out, or a spent refresh token came back (someone else holds a copy). */
export const SESSION_END_REASONS = ['signed_out', 'refresh_token_reused', 'password_reset', 'password_changed'] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

// ---------- commands ----------

export type CreateAccount = Command<'CreateAccount', { userId: string; login: string; phone: string | null }>;
export type RecordSignIn = Command<'RecordSignIn', { sessionId: string; method: SignInMethod; clientAddress: string }>;
/** `lockedUntil`: this failure crossed the threshold, so the account is locked until then. */
export type RecordSignInFailure = Command<
  'RecordSignInFailure',
  { clientAddress: string; reason: SignInFailureReason; failures: number; lockedUntil: string | null }
>;
export type ChangePassword = Command<'ChangePassword', { sessionId: string | null }>;
export type ResetPassword = Command<'ResetPassword', { reason: string }>;
export type EndSession = Command<'EndSession', { sessionId: string; reason: SessionEndReason }>;

export type AccountCommand = CreateAccount | RecordSignIn | RecordSignInFailure | ChangePassword | ResetPassword | EndSession;

// ---------- events ----------

export type AccountCreated = DomainEvent<
  'AccountCreated',
  { userId: string; login: string; phone: string | null; mustChangePassword: true } & Signed
>;
export type SignedIn = DomainEvent<'SignedIn', { userId: string; sessionId: string; method: SignInMethod; clientAddress: string } & Signed>;
export type SignInFailed = DomainEvent<
  'SignInFailed',
  { userId: string; clientAddress: string; reason: SignInFailureReason; failures: number } & Signed
>;
export type AccountLockedOut = DomainEvent<'AccountLockedOut', { userId: string; clientAddress: string; lockedUntil: string } & Signed>;
export type PasswordChanged = DomainEvent<'PasswordChanged', { userId: string; sessionId: string | null } & Signed>;
export type PasswordReset = DomainEvent<'PasswordReset', { userId: string; reason: string; mustChangePassword: true } & Signed>;
export type SessionEnded = DomainEvent<'SessionEnded', { userId: string; sessionId: string; reason: SessionEndReason } & Signed>;

export type AccountEvent = AccountCreated | SignedIn | SignInFailed | AccountLockedOut | PasswordChanged | PasswordReset | SessionEnded;

export const ACCOUNT_EVENT_TYPES: readonly AccountEvent['type'][] = [
  'AccountCreated',
  'SignedIn',
  'SignInFailed',
  'AccountLockedOut',
  'PasswordChanged',
  'PasswordReset',
  'SessionEnded',
];

// ---------- state ----------

/** `created`: a local account (password) exists; a single-sign-on person has a stream without one. */
export type AccountState = { userId: string | null; created: boolean };

export const initialAccountState = (): AccountState => ({ userId: null, created: false });

export function evolveAccount(state: AccountState, event: AccountEvent): AccountState {
  switch (event.type) {
    case 'AccountCreated':
      return { userId: event.data.userId, created: true };
    case 'SignedIn':
    case 'SignInFailed':
    case 'AccountLockedOut':
    case 'PasswordChanged':
    case 'PasswordReset':
    case 'SessionEnded':
      return { ...state, userId: event.data.userId };
    default: {
      const unreachable: never = event;
      throw new Error(`unknown account event ${JSON.stringify(unreachable)}`);
    }
  }
}

// ---------- decide ----------

const requireAccount = (state: AccountState): void => {
  if (!state.created) throw new NotFoundError('ACCOUNT_NOT_FOUND', '此人还没有登录账号');
};

/** The person the stream belongs to: the account's own commands are signed by that person or by an administrator. */
const requireSelf = (actor: Actor, userId: string): void => {
  if (actor.userId !== userId) throw new InvalidInputError('ACCOUNT_MISMATCH', 'userId', '只能记录本人账号的登录');
};

export function decideAccount(command: AccountCommand, state: AccountState, userId: string): AccountEvent[] {
  validateMetadata(command.metadata);
  const { now: at, actor } = command.metadata;
  const signed = { signedBy: actor, at };
  switch (command.type) {
    case 'CreateAccount':
      requireRole(actor, ['admin']);
      if (state.created) throw new InvalidStateError('ACCOUNT_EXISTS', '此人已有登录账号');
      return [{ type: 'AccountCreated', data: { userId, login: command.data.login, phone: command.data.phone, mustChangePassword: true, ...signed } }];
    case 'ResetPassword':
      requireRole(actor, ['admin']);
      requireAccount(state);
      return [{ type: 'PasswordReset', data: { userId, reason: command.data.reason, mustChangePassword: true, ...signed } }];
    case 'RecordSignIn':
      requireSelf(actor, userId);
      if (command.data.method === 'password') requireAccount(state);
      return [{ type: 'SignedIn', data: { userId, ...command.data, ...signed } }];
    case 'RecordSignInFailure': {
      // Nobody signs a failure but the system that observed it: the person named may not be the one who tried.
      requireAccount(state);
      const bySystem = { signedBy: SYSTEM_ACTOR, at };
      const { clientAddress, reason, failures, lockedUntil } = command.data;
      const failed: AccountEvent = { type: 'SignInFailed', data: { userId, clientAddress, reason, failures, ...bySystem } };
      return lockedUntil ? [failed, { type: 'AccountLockedOut', data: { userId, clientAddress, lockedUntil, ...bySystem } }] : [failed];
    }
    case 'ChangePassword':
      requireSelf(actor, userId);
      requireAccount(state);
      return [{ type: 'PasswordChanged', data: { userId, sessionId: command.data.sessionId, ...signed } }];
    case 'EndSession':
      // Reuse of a refresh token ends the session on the system's word; signing out is the holder's own.
      if (command.data.reason === 'signed_out') requireSelf(actor, userId);
      return [{ type: 'SessionEnded', data: { userId, ...command.data, ...signed } }];
    default: {
      const unreachable: never = command;
      throw new Error(`unknown account command ${JSON.stringify(unreachable)}`);
    }
  }
}
