-- The event store: the only source of truth. Append-only; the application role may only INSERT and SELECT.

CREATE TABLE IF NOT EXISTS events (
  position        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Commit-order reading: readers take rows whose transaction is older than every in-flight one,
  -- ordered by (transaction_id, position), so a slow transaction can never be skipped.
  transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
  stream_id       text        NOT NULL,
  version         integer     NOT NULL CHECK (version >= 1),
  event_id        uuid        NOT NULL,
  type            text        NOT NULL,
  -- Canonical JSON (RFC 8785) text, exactly the bytes that were hashed.
  data            text        NOT NULL,
  metadata        text        NOT NULL,
  recorded_at     timestamptz NOT NULL,
  prev_hash       text        NOT NULL,
  hash            text        NOT NULL,
  CONSTRAINT events_stream_version_uniq UNIQUE (stream_id, version),
  CONSTRAINT events_event_id_uniq UNIQUE (event_id)
);

CREATE INDEX IF NOT EXISTS events_commit_order_idx ON events (transaction_id, position);

-- A replayed command (same idempotency key) returns the first result and appends nothing.
CREATE TABLE IF NOT EXISTS processed_commands (
  idempotency_key text        PRIMARY KEY,
  command_type    text        NOT NULL,
  request_hash    text        NOT NULL,
  result          jsonb       NOT NULL,
  recorded_at     timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS subscription_checkpoints (
  name            text        PRIMARY KEY,
  transaction_id  xid8        NOT NULL,
  position        bigint      NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Nothing is edited or deleted: corrections are new events. The trigger guards even roles that were
-- granted too much; a superuser can still disable it, which is what the hash chain is for.
CREATE OR REPLACE FUNCTION events_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

DROP TRIGGER IF EXISTS events_no_update_delete ON events;
CREATE TRIGGER events_no_update_delete BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION events_are_immutable();
DROP TRIGGER IF EXISTS events_no_truncate ON events;
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION events_are_immutable();
