-- Events carry the server's Ed25519 signature over their chain hash (see libs/event-store/src/event-signatures.ts):
-- the key lives in the API's and the worker's configuration, never in the database, so a row INSERTed by anyone who
-- holds only a database password cannot carry a valid one, and `npm run verify` names it a forgery.
ALTER TABLE events ADD COLUMN IF NOT EXISTS signing_key_id text;
ALTER TABLE events ADD COLUMN IF NOT EXISTS signature text;

-- Events up to this position were appended before signing existed: they are checked by their chain alone.
-- Everything after it must be signed. Written once, here, by the owner; the application role can only read it.
CREATE TABLE IF NOT EXISTS event_signing_epoch (
  only_row        boolean     PRIMARY KEY DEFAULT true CHECK (only_row),
  since_position  bigint      NOT NULL,
  started_at      timestamptz NOT NULL DEFAULT now()
);
INSERT INTO event_signing_epoch (since_position) SELECT coalesce(max(position), 0) FROM events ON CONFLICT DO NOTHING;
REVOKE ALL ON event_signing_epoch FROM duban_app;
GRANT SELECT ON event_signing_epoch TO duban_app;

-- The application role reads the directory; it no longer writes it (administrators' changes and the seed go through
-- the owner's connection until the directory becomes event-sourced). Nor may it register a log signing key: the
-- worker registers its key through the owner's connection at start.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON directory_units, directory_users FROM duban_app;
GRANT SELECT ON directory_units, directory_users TO duban_app;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON log_signing_keys FROM duban_app;
GRANT SELECT ON log_signing_keys TO duban_app;
