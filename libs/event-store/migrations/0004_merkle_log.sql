-- The global log: every event, in commit order, as a leaf of an RFC 6962 Merkle tree, sealed by signed checkpoints
-- that a discipline inspector can keep outside the system. Written only by the worker's sealer (a checkpointed
-- consumer of the events, subscription 'merkle-log'); append-only like the events themselves.
--
-- Leaf data is the event's stored chain hash (32 bytes): leaf_hash = SHA-256(0x00 ‖ event hash). The chain hash
-- already commits to the event's canonical text and to every earlier event of its stream, so a leaf seals both.

CREATE TABLE IF NOT EXISTS log_leaves (
  leaf_index      bigint      PRIMARY KEY CHECK (leaf_index >= 0),
  -- The event's place in commit order when it was sealed.
  transaction_id  xid8        NOT NULL,
  event_position  bigint      NOT NULL,
  event_id        uuid        NOT NULL,
  stream_id       text        NOT NULL,
  version         integer     NOT NULL,
  -- The leaf data: the event's chain hash (hex) as it was when sealed.
  event_hash      text        NOT NULL CHECK (event_hash ~ '^[0-9a-f]{64}$'),
  leaf_hash       bytea       NOT NULL CHECK (octet_length(leaf_hash) = 32),
  sealed_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT log_leaves_event_id_uniq UNIQUE (event_id)
);

-- Public keys that signed checkpoints. A convenience for the API: an inspector should verify with a public key they
-- obtained out of band (`/integrity/public-key` once, kept outside), since whoever controls the database controls
-- this table too.
CREATE TABLE IF NOT EXISTS log_signing_keys (
  key_id          text        PRIMARY KEY,
  public_key_pem  text        NOT NULL,
  first_used_at   timestamptz NOT NULL DEFAULT now()
);

-- Signed tree heads. The signature (Ed25519, base64) covers the text
--   'duban-log-v1' \n tree_size \n root_hash (hex) \n created_at (ISO 8601 UTC, milliseconds)
CREATE TABLE IF NOT EXISTS log_checkpoints (
  tree_size       bigint      PRIMARY KEY CHECK (tree_size >= 1),
  root_hash       text        NOT NULL CHECK (root_hash ~ '^[0-9a-f]{64}$'),
  created_at      timestamptz NOT NULL,
  key_id          text        NOT NULL,
  signature       text        NOT NULL
);

CREATE INDEX IF NOT EXISTS log_checkpoints_created_idx ON log_checkpoints (created_at);

CREATE OR REPLACE FUNCTION log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

DROP TRIGGER IF EXISTS log_leaves_no_update_delete ON log_leaves;
CREATE TRIGGER log_leaves_no_update_delete BEFORE UPDATE OR DELETE ON log_leaves
  FOR EACH ROW EXECUTE FUNCTION log_is_append_only();
DROP TRIGGER IF EXISTS log_leaves_no_truncate ON log_leaves;
CREATE TRIGGER log_leaves_no_truncate BEFORE TRUNCATE ON log_leaves
  FOR EACH STATEMENT EXECUTE FUNCTION log_is_append_only();

DROP TRIGGER IF EXISTS log_checkpoints_no_update_delete ON log_checkpoints;
CREATE TRIGGER log_checkpoints_no_update_delete BEFORE UPDATE OR DELETE ON log_checkpoints
  FOR EACH ROW EXECUTE FUNCTION log_is_append_only();
DROP TRIGGER IF EXISTS log_checkpoints_no_truncate ON log_checkpoints;
CREATE TRIGGER log_checkpoints_no_truncate BEFORE TRUNCATE ON log_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION log_is_append_only();

DROP TRIGGER IF EXISTS log_signing_keys_no_update_delete ON log_signing_keys;
CREATE TRIGGER log_signing_keys_no_update_delete BEFORE UPDATE OR DELETE ON log_signing_keys
  FOR EACH ROW EXECUTE FUNCTION log_is_append_only();
DROP TRIGGER IF EXISTS log_signing_keys_no_truncate ON log_signing_keys;
CREATE TRIGGER log_signing_keys_no_truncate BEFORE TRUNCATE ON log_signing_keys
  FOR EACH STATEMENT EXECUTE FUNCTION log_is_append_only();

REVOKE ALL ON log_leaves, log_checkpoints, log_signing_keys FROM duban_app;
GRANT SELECT, INSERT ON log_leaves, log_checkpoints, log_signing_keys TO duban_app;
