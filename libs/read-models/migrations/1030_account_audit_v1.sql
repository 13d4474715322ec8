-- The sign-in audit trail: one row per event of an account-{userId} stream (created, signed in, failed, locked out,
-- password changed or reset, session ended), for the discipline inspector and the administrators.
CREATE TABLE IF NOT EXISTS account_audit_v1 (
  stream_id      text        NOT NULL,
  version        integer     NOT NULL,
  user_id        text        NOT NULL,
  position       bigint      NOT NULL,
  event_id       uuid        NOT NULL,
  event_type     text        NOT NULL,
  signer_id      text,
  signer_name    text,
  signer_role    text,
  at             timestamptz NOT NULL,
  session_id     text,
  method         text,
  client_address text,
  detail         jsonb       NOT NULL,
  hash           text        NOT NULL,
  PRIMARY KEY (stream_id, version)
);
CREATE INDEX IF NOT EXISTS account_audit_v1_user_idx ON account_audit_v1 (user_id, at, version);

GRANT SELECT, INSERT, UPDATE, DELETE ON account_audit_v1 TO duban_app;
