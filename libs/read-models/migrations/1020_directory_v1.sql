-- The directory becomes a projection of its events (issue 13, part 1): a stream per unit and per person
-- (directory-unit-*, directory-person-*), signed like every other event, projected by DirectoryProjection into the
-- versioned tables below. The old hand-written tables are kept aside, renamed, for a rollback; their rows were
-- reference data without events, so the demo seed (or the roster import) writes the directory again as events.
ALTER TABLE IF EXISTS directory_users RENAME TO directory_users_legacy;
ALTER TABLE IF EXISTS directory_units RENAME TO directory_units_legacy;
REVOKE ALL ON directory_users_legacy, directory_units_legacy FROM duban_app;

CREATE TABLE IF NOT EXISTS directory_units_v1 (
  unit_id         text PRIMARY KEY,
  name            text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('county_office', 'town', 'village', 'department', 'supervision_team', 'discipline')),
  parent_id       text,
  leader_user_id  text,
  division_code   text CHECK (division_code ~ '^\d{12}$'),
  active          boolean NOT NULL DEFAULT true,
  created_at      timestamptz,
  updated_at      timestamptz,
  stream_version  integer NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS directory_units_v1_parent ON directory_units_v1 (parent_id);

CREATE TABLE IF NOT EXISTS directory_users_v1 (
  user_id         text PRIMARY KEY,
  name            text NOT NULL,
  unit_id         text NOT NULL,
  role            text NOT NULL CHECK (role IN ('inspector', 'supervisor', 'unit_official', 'discipline_inspector', 'admin')),
  title           text NOT NULL DEFAULT '',
  phone           text,
  active          boolean NOT NULL DEFAULT true,
  created_at      timestamptz,
  updated_at      timestamptz,
  stream_version  integer NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS directory_users_v1_unit ON directory_users_v1 (unit_id);
CREATE INDEX IF NOT EXISTS directory_users_v1_phone ON directory_users_v1 (phone) WHERE active;

-- Who was where, when: one row per period in which a person's unit, role, title and standing held. valid_from is
-- inclusive, valid_to exclusive (null: still so). "Which unit did P belong to at instant T" reads one row.
CREATE TABLE IF NOT EXISTS directory_memberships_v1 (
  user_id         text NOT NULL,
  stream_version  integer NOT NULL,
  unit_id         text NOT NULL,
  role            text NOT NULL,
  title           text NOT NULL,
  active          boolean NOT NULL,
  valid_from      timestamptz NOT NULL,
  valid_to        timestamptz,
  PRIMARY KEY (user_id, stream_version)
);

-- The directory's audit trail: every change, who signed it (as the signature recorded them), when, why, and what
-- it changed (before → after).
CREATE TABLE IF NOT EXISTS directory_changes_v1 (
  stream_id       text NOT NULL,
  version         integer NOT NULL,
  position        bigint NOT NULL,
  event_id        uuid NOT NULL,
  event_type      text NOT NULL,
  subject_kind    text NOT NULL CHECK (subject_kind IN ('unit', 'person')),
  subject_id      text NOT NULL,
  signer_id       text NOT NULL,
  signer_name     text NOT NULL,
  signer_unit_id  text NOT NULL,
  signer_role     text NOT NULL,
  at              timestamptz NOT NULL,
  reason          text NOT NULL,
  changes         jsonb NOT NULL,
  correlation_id  text,
  PRIMARY KEY (stream_id, version)
);
CREATE INDEX IF NOT EXISTS directory_changes_v1_at ON directory_changes_v1 (at, position);
CREATE INDEX IF NOT EXISTS directory_changes_v1_subject ON directory_changes_v1 (subject_id);
CREATE INDEX IF NOT EXISTS directory_changes_v1_signer ON directory_changes_v1 (signer_id);

GRANT SELECT, INSERT, UPDATE, DELETE ON directory_units_v1, directory_users_v1, directory_memberships_v1, directory_changes_v1
  TO duban_app;

-- The names the rest of the code reads, unchanged: views over the projection. The application role reads them only
-- (the projection writes its tables); the owner may still write through them, as test fixtures do.
CREATE OR REPLACE VIEW directory_units AS
  SELECT unit_id, name, kind, parent_id, leader_user_id, division_code, active FROM directory_units_v1;
CREATE OR REPLACE VIEW directory_users AS
  SELECT user_id, name, unit_id, role, title, active, phone FROM directory_users_v1;
GRANT SELECT ON directory_units, directory_users TO duban_app;
