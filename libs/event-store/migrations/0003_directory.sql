-- Reference data managed by administrators: units and people. Not event-sourced yet: a signature copies the
-- signer's name, unit and role into the event, so a later change here never rewrites history.
CREATE TABLE IF NOT EXISTS directory_units (
  unit_id    text PRIMARY KEY,
  name       text NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('county_office', 'town', 'department', 'supervision_team', 'discipline')),
  parent_id  text REFERENCES directory_units (unit_id),
  leader_user_id text
);

CREATE TABLE IF NOT EXISTS directory_users (
  user_id  text PRIMARY KEY,
  name     text NOT NULL,
  unit_id  text NOT NULL REFERENCES directory_units (unit_id),
  role     text NOT NULL CHECK (role IN ('inspector', 'supervisor', 'unit_official', 'discipline_inspector', 'admin')),
  title    text NOT NULL DEFAULT '',
  active   boolean NOT NULL DEFAULT true
);

GRANT SELECT, INSERT, UPDATE ON directory_units, directory_users TO duban_app;
