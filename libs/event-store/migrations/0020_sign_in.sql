-- Sign-in: local accounts' credentials, sessions with their rotating refresh tokens, lockout counters and single
-- sign-on requests in flight. None of it is event-sourced on purpose: a password hash or a token must never reach
-- the append-only log. The audit facts (sign-in, failure, lockout, reset, sign-out) are events on account-{userId}.

-- One local account per person (user_id: the directory's person). `login` is kept lower-case; a phone, when given,
-- is a second name to sign in with. The two cannot collide: a login starts with a letter, a phone is digits.
CREATE TABLE IF NOT EXISTS auth_credentials (
  user_id              text        PRIMARY KEY,
  login                text        NOT NULL,
  phone                text,
  password_hash        text        NOT NULL,
  must_change_password boolean     NOT NULL,
  created_at           timestamptz NOT NULL,
  password_changed_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS auth_credentials_login_uniq ON auth_credentials (login);
CREATE UNIQUE INDEX IF NOT EXISTS auth_credentials_phone_uniq ON auth_credentials (phone) WHERE phone IS NOT NULL;

-- A session is one sign-in and the family of refresh tokens rotated from it: revoking it (sign-out, a spent refresh
-- token presented again, a password reset) ends every token of the family and, through `sid`, its access tokens.
CREATE TABLE IF NOT EXISTS auth_sessions (
  session_id     uuid        PRIMARY KEY,
  user_id        text        NOT NULL,
  method         text        NOT NULL CHECK (method IN ('password', 'oidc')),
  created_at     timestamptz NOT NULL,
  last_used_at   timestamptz NOT NULL,
  -- The absolute end; the idle end is last_used_at + the configured idle time.
  expires_at     timestamptz NOT NULL,
  revoked_at     timestamptz,
  revoked_reason text
);
CREATE INDEX IF NOT EXISTS auth_sessions_user_idx ON auth_sessions (user_id) WHERE revoked_at IS NULL;

-- Refresh tokens by their sha256 only. A spent one stays, so that presenting it again is recognised as reuse.
CREATE TABLE IF NOT EXISTS auth_refresh_tokens (
  token_hash text        PRIMARY KEY,
  session_id uuid        NOT NULL REFERENCES auth_sessions (session_id),
  issued_at  timestamptz NOT NULL,
  spent_at   timestamptz
);
CREATE INDEX IF NOT EXISTS auth_refresh_tokens_session_idx ON auth_refresh_tokens (session_id);

-- Lockout counters: 'account:<user_id>', 'login:<sha256 of an unknown login>', 'address:<client address>'.
CREATE TABLE IF NOT EXISTS auth_throttle (
  throttle_key text        PRIMARY KEY,
  failures     integer     NOT NULL,
  lockouts     integer     NOT NULL,
  locked_until timestamptz,
  updated_at   timestamptz NOT NULL
);

-- The OpenID Connect authorization requests in flight: state → PKCE verifier and nonce, used once.
CREATE TABLE IF NOT EXISTS auth_oidc_requests (
  state         text        PRIMARY KEY,
  code_verifier text        NOT NULL,
  nonce         text        NOT NULL,
  created_at    timestamptz NOT NULL
);

GRANT SELECT, INSERT, UPDATE, DELETE ON auth_credentials, auth_sessions, auth_refresh_tokens, auth_throttle, auth_oidc_requests TO duban_app;
