-- A projection that cannot apply an event stops there (it never skips it) and says so here: which event, and why.
-- Written outside the failed batch's transaction (that one rolled back), read by /health and
-- /operations/projections, cleared when the projection gets past the event (a mended deployment, or
-- `npm run rebuild`). One row per projection version, keyed like its checkpoint (projection:<name>:v<version>).
CREATE TABLE IF NOT EXISTS projection_failures (
  checkpoint            text        PRIMARY KEY,
  projection            text        NOT NULL,
  version               integer     NOT NULL,
  -- The event it stopped at; null when the failure came before any event (reading the batch, storing the checkpoint).
  event_transaction_id  text,
  event_position        bigint,
  stream_id             text,
  stream_version        integer,
  event_id              uuid,
  event_type            text,
  error                 text        NOT NULL,
  error_code            text,
  attempts              integer     NOT NULL DEFAULT 1,
  first_failed_at       timestamptz NOT NULL,
  last_failed_at        timestamptz NOT NULL
);

GRANT SELECT, INSERT, UPDATE, DELETE ON projection_failures TO duban_app;
