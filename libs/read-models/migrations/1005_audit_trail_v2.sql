-- Audit trail, version 2: what v1 held (one row per event of a finding or campaign stream: signer, time, reason,
-- summary, hash chain link) plus what each event changed and whom a consequence is attributed to. Built beside
-- audit_trail_v1 from zero by its own checkpoint (projection:audit_trail:v2); v1 is left as it was.
CREATE TABLE IF NOT EXISTS audit_trail_v2 (
  stream_id        text        NOT NULL,
  version          integer     NOT NULL,
  -- Null for a campaign's own events (campaign created, dispatch notice issued).
  finding_id       text,
  position         bigint      NOT NULL,
  event_id         uuid        NOT NULL,
  event_type       text        NOT NULL,
  signer_id        text,
  signer_name      text,
  signer_unit_id   text,
  signer_unit_name text,
  signer_role      text,
  at               timestamptz,
  recorded_at      timestamptz NOT NULL,
  reason           text,
  summary          text        NOT NULL,
  -- What the event changed: [{ field, label, before, after, beforeCode?, afterCode? }], computed at projection
  -- time from the running per-stream state in audit_trail_streams_v2 (never by reading the event log).
  changes          jsonb       NOT NULL DEFAULT '[]',
  -- A consequence's answerable person (data.accountable.person; a look-back reopen: the fix's signer) and unit.
  attributed_person_id   text,
  attributed_person_name text,
  attributed_person_role text,
  attributed_unit_id     text,
  attributed_unit_name   text,
  hash             text        NOT NULL,
  prev_hash        text        NOT NULL,
  correlation_id   text,
  PRIMARY KEY (stream_id, version)
);
CREATE INDEX IF NOT EXISTS audit_trail_v2_finding_idx ON audit_trail_v2 (finding_id, version);
CREATE INDEX IF NOT EXISTS audit_trail_v2_signer_idx ON audit_trail_v2 (signer_id, recorded_at, position);
CREATE INDEX IF NOT EXISTS audit_trail_v2_attributed_idx ON audit_trail_v2 (attributed_person_id, recorded_at, position)
  WHERE attributed_person_id IS NOT NULL;

-- The running state of each stream as the trail has folded it (status, unit, owner, deadline, notice number,
-- details, escalation level, pending extension; for a campaign its last notice number), and the last version
-- applied: the guard that makes a replayed event a no-op.
CREATE TABLE IF NOT EXISTS audit_trail_streams_v2 (
  stream_id       text        PRIMARY KEY,
  state           jsonb       NOT NULL,
  stream_version  integer     NOT NULL
);

GRANT SELECT, INSERT, UPDATE, DELETE ON audit_trail_v2, audit_trail_streams_v2 TO duban_app;
